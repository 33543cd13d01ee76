"""The ok/FAIL report every tool test prints, and its exit status."""


class Checks:
    def __init__(self):
        self.failures = []
        self.count = 0

    def check(self, condition, what):
        self.count += 1
        if not condition:
            self.failures.append(what)
        print(("ok   " if condition else "FAIL ") + what, flush=True)
        return condition

    def crashed(self, e):
        self.failures.append("%s: %s" % (type(e).__name__, e))

    def finish(self):
        for f in self.failures:
            print("FAIL:", f)
        print("%d passed, %d failed" % (max(self.count - len(self.failures), 0), len(self.failures)))
        return 1 if self.failures else 0
