"""``python -m simsoins [overrides]``: run a scenario against the baseline."""

from .cli import main

if __name__ == "__main__":
    main()
