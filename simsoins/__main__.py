"""``python -m simsoins [overrides]``: run a scenario against the baseline."""

from simsoins.cli import run

if __name__ == "__main__":
    run()
