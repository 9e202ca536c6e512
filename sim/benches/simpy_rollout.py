"""The engine benchmark's workload as a modeller would write it with SimPy, to compare the CPU
time of the two on the same work (scripts/bench runs both; a benchmark, never a test).

100 replicas behind a Service, 1,000 requests/s (Poisson) for 10 simulated minutes, each answered
in an exponentially distributed 40 ms by a random endpoint the proxies route to; at 5 minutes a
rolling update (maxSurge 25%, maxUnavailable 25%): new pods pull for 1 s, start for 5 s and are
seen ready by a readiness probe every 2 s; old pods get a 3 s preStop, then drain; every endpoint
change reaches the proxies 1 s later. A request sent to a pod that no longer listens fails.
Usage: python3 simpy_rollout.py  (prints requests sent, succeeded and failed)
"""
import random

import simpy

REPLICAS, RPS, MINUTES, UPDATE_AT = 100, 1000.0, 10, 300.0
SURGE, UNAVAILABLE = 25, 25
PULL, STARTUP, PROBE_PERIOD, PRESTOP, LAG, LATENCY = 1.0, 5.0, 2.0, 3.0, 1.0, 0.040


class Pod:
    def __init__(self, version, listening):
        self.version, self.listening, self.ready, self.terminating, self.busy = version, listening, listening, False, 0


class Cluster:
    def __init__(self, env, rng):
        self.env, self.rng = env, rng
        self.pods = [Pod(1, True) for _ in range(REPLICAS)]
        self.routes = list(self.pods)  # what the proxies route to
        self.sent = self.succeeded = self.failed = 0
        self.changed = env.event()

    def endpoints_changed(self):
        ready = [p for p in self.pods if p.ready and not p.terminating]
        self.env.process(self.propagate(ready))
        self.changed.succeed()
        self.changed = self.env.event()

    def propagate(self, ready):
        yield self.env.timeout(LAG)
        self.routes = ready

    def clients(self):
        while self.env.now < MINUTES * 60:
            yield self.env.timeout(self.rng.expovariate(RPS))
            self.sent += 1
            if not self.routes:
                self.failed += 1
                continue
            self.env.process(self.request(self.rng.choice(self.routes)))

    def request(self, pod):
        if not pod.listening:
            self.failed += 1
            return
        pod.busy += 1
        yield self.env.timeout(self.rng.expovariate(1.0 / LATENCY))
        pod.busy -= 1
        self.succeeded += 1

    def start(self, pod):
        yield self.env.timeout(PULL + STARTUP)
        pod.listening = True
        while not pod.ready:  # the readiness probe's next period after listening
            yield self.env.timeout(PROBE_PERIOD)
            pod.ready = True
        self.endpoints_changed()

    def stop(self, pod):
        pod.terminating = True
        self.endpoints_changed()
        yield self.env.timeout(PRESTOP)
        while pod.busy:  # drain: finish what is in flight
            yield self.env.timeout(0.01)
        pod.listening = False
        self.pods.remove(pod)

    def rolling_update(self):
        yield self.env.timeout(UPDATE_AT)
        while True:
            live = [p for p in self.pods if not p.terminating]
            new = [p for p in live if p.version == 2]
            old = [p for p in live if p.version == 1]
            if len(new) == REPLICAS and not old:
                return
            # Scale up within the surge, then down within what must stay available.
            for _ in range(min(REPLICAS + SURGE - len(live), REPLICAS - len(new))):
                pod = Pod(2, False)
                self.pods.append(pod)
                self.env.process(self.start(pod))
            available = sum(p.ready for p in live)
            for pod in old[: max(0, available - (REPLICAS - UNAVAILABLE))]:
                self.env.process(self.stop(pod))
            yield self.changed


def main():
    env = simpy.Environment()
    cluster = Cluster(env, random.Random(7))
    env.process(cluster.clients())
    env.process(cluster.rolling_update())
    env.run(until=MINUTES * 60 + 10)
    print(f"{cluster.sent} sent, {cluster.succeeded} succeeded, {cluster.failed} failed")


if __name__ == "__main__":
    main()
