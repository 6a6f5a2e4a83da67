"""The speed work, behind one door: fast structures and memory tricks the model uses
through plain interfaces, each with a simple reference version that tests drive side by
side with it (measurements in ``docs/performance.md``)."""
