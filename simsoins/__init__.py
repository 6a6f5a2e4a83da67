"""simsoins — simulate access to primary care in a French territory and compare policy
levers (assistants médicaux, docteurs juniors, CPTS, teleconsultation, …) on waiting times."""

__version__ = "0.1.0"
