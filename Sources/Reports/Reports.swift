/// Reports and exports over the results store: what coordinators read (trainee, cohort and
/// session reports), what their learning-management systems import (a gradebook CSV, xAPI
/// statements, cmi5 course structures) and what a task force takes home from a tabletop (the
/// after-action report and improvement plan). Everything here is pure: values in, text out.
public enum Reports {}
