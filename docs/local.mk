# filled in by the docs work
