"""``python -m simsoins [overrides]``: run a scenario against the baseline."""

from .cli import run

if __name__ == "__main__":
    run()
