"""timeline: validate, diff, release and cite the belgorod-raid-timeline Data Package."""

__version__ = "0.1.0"
