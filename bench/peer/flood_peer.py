#!/usr/bin/python3
"""flood_peer.py - the peer baseline of `mxsim-bench flood --peer`: the flood
world of bench/flood_scenario.cpp written as a researcher would in SimPy 2
(Debian's python3-simpy, the classic API), with the same Postfix rules as mxsim.

The world: `domains` domains spread evenly over `mtas` MTAs, one MX each, users
u0..u{mailboxes-1} per domain. MTA k accepts unknown recipients and bounces
later when k % 3 == 0, and refuses every connection when k % 20 == 19. A Klez
worm of 1000 bots sends `messages` messages (Poisson) during the first day,
sender forged from all mailboxes, recipient from all mailboxes or (p = 0.3) a
made-up local part at a random domain. Worms are queue-less: one attempt, and a
refusal or a 5xx is final (`rejected`). NDRs (sender <>) are queued by the
bouncing MTA's Postfix: per-destination concurrency window, dead-destination
throttle, age-based backoff on the deferred-queue scan grid, and dropped once
bounce_queue_lifetime is over (no double bounce).

One SimPy Process per message and per NDR, and a queue manager per MTA that
scans its deferred queue every queue_run_delay and reactivates the due mail.

Usage: flood_peer.py [--messages N] [--domains N] [--mtas N] [--days N]
                     [--mailboxes N] [--seed S] [--json]
"""
import argparse
import collections
import json
import math
import random
import sys
import time

from SimPy.Simulation import (Process, activate, hold, initialize, now, passivate,
                              reactivate, simulate)

# Postfix defaults (main.cf), as mxsim's PostfixQueueSpec and MtaSpec.
QUEUE_RUN_DELAY = 300
MINIMAL_BACKOFF = 300
MAXIMAL_BACKOFF = 4000
BOUNCE_QUEUE_LIFETIME = 5 * 86400
INITIAL_CONCURRENCY = 5
CONCURRENCY_LIMIT = 20

# The network and DNS as mxsim's defaults: every host hangs off the Internet hub
# by 20 ms one way, so a round trip is 80 ms; a resolver miss costs 20 ms and an
# MX answer is cached for its TTL, 3600 s.
RTT = 0.080
DNS_LATENCY = 0.020
MX_TTL = 3600.0
ROUND_TRIPS_TO_RCPT = 4  # connect+greeting, EHLO, MAIL, RCPT
ROUND_TRIPS_DELIVERED = 6  # ... DATA, the content and its dot

BOTS = 1000
FLOOD_SECONDS = 86400.0
MADE_UP_SHARE = 0.3
SIZE = 30000


class Stats:
    def __init__(self):
        self.worm = collections.Counter()
        self.ndr = collections.Counter()
        self.backscatter = 0
        self.smtp_sessions = 0
        self.dns_queries = 0  # MTAs' resolver misses


class World:
    """Domains, MTAs and mailboxes; who hosts what."""

    def __init__(self, args, rng):
        self.args = args
        self.rng = rng
        self.per_mta = (args.domains + args.mtas - 1) // args.mtas
        self.mtas = [Mta(k, self) for k in range(args.mtas)]
        self.bots = [Resolver() for _ in range(BOTS)]
        self.stats = Stats()

    def mta_of(self, domain):
        return self.mtas[min(domain // self.per_mta, self.args.mtas - 1)]

    def mailbox_exists(self, domain, local):
        return isinstance(local, int) and 0 <= local < self.args.mailboxes


class Resolver:
    """A resolver cache: MX answers kept for their TTL."""

    def __init__(self):
        self.expires = {}
        self.misses = 0

    def lookup(self, domain):
        """Returns the time the lookup takes."""
        if now() < self.expires.get(domain, -1.0):
            return 0.0
        self.misses += 1
        self.expires[domain] = now() + MX_TTL
        return DNS_LATENCY


class Destination:
    """Postfix's per-destination queue: a window and the dead-site throttle."""

    def __init__(self):
        self.window = float(INITIAL_CONCURRENCY)
        self.active = 0
        self.throttled_until = -1.0
        self.waiting = collections.deque()


class Mta:
    def __init__(self, k, world):
        self.k = k
        self.world = world
        self.dead = k % 20 == 19
        self.accept_all = k % 3 == 0
        self.resolver = Resolver()
        self.destinations = {}
        self.deferred = []  # [run_at, ndr]
        self.qmgr = QueueManager(self)
        activate(self.qmgr, self.qmgr.run())

    def hosts(self, domain):
        return self.world.mta_of(domain) is self

    def destination(self, domain):
        d = self.destinations.get(domain)
        if d is None:
            d = self.destinations[domain] = Destination()
        return d

    def throttle(self, domain):
        """qmgr_queue_throttle: dead for minimal_backoff_time (whole seconds),
        window back to the start, waiting mail deferred."""
        d = self.destinations[domain]
        d.throttled_until = math.floor(now()) + MINIMAL_BACKOFF
        d.window = float(INITIAL_CONCURRENCY)
        while d.waiting:
            self.defer(d.waiting.popleft())

    def pump(self, domain):
        """Starts waiting mail as the window allows; drops an idle queue."""
        d = self.destinations[domain]
        while d.waiting and d.active < int(d.window):
            ndr = d.waiting.popleft()
            d.active += 1
            ndr.granted = True
            reactivate(ndr)
        if d.active == 0 and not d.waiting and d.throttled_until <= now():
            del self.destinations[domain]

    def defer(self, ndr):
        """Expired (bounce_queue_lifetime): dropped. Else back on the scan grid
        after an age-based backoff. Returns False when the NDR was dropped."""
        end_s = math.floor(now())
        arrival_s = math.floor(ndr.arrival)
        if end_s >= arrival_s + BOUNCE_QUEUE_LIFETIME:
            self.world.stats.ndr["dropped"] += 1
            ndr.settled = True
            return False
        age = end_s - arrival_s
        due_s = end_s + min(max(age, MINIMAL_BACKOFF), MAXIMAL_BACKOFF)
        slot = -((1 - due_s) // QUEUE_RUN_DELAY)  # ceil((due_s - 1) / delay)
        self.deferred.append([slot * QUEUE_RUN_DELAY, ndr])
        if self.qmgr.passive():
            reactivate(self.qmgr)
        return True


class QueueManager(Process):
    """Scans the deferred queue at every k * queue_run_delay; mail that is due
    by then starts again. Sleeps while the deferred queue is empty."""

    def __init__(self, mta):
        Process.__init__(self, name="qmgr")
        self.mta = mta

    def run(self):
        while True:
            if not self.mta.deferred:
                yield passivate, self
                continue
            next_scan = (math.floor(now() / QUEUE_RUN_DELAY) + 1) * QUEUE_RUN_DELAY
            yield hold, self, next_scan - now()
            due, later = [], []
            for entry in self.mta.deferred:
                (due if entry[0] <= now() else later).append(entry)
            self.mta.deferred = later
            for _, ndr in due:
                reactivate(ndr)


class Ndr(Process):
    """A bounce from `mta` to the forged sender (domain, local), sender <>."""

    def __init__(self, mta, domain, local):
        Process.__init__(self, name="ndr")
        self.mta = mta
        self.domain = domain
        self.local = local
        self.arrival = now()
        self.granted = False
        self.settled = False
        mta.world.stats.ndr["created"] += 1

    def delivered(self):
        stats = self.mta.world.stats
        stats.ndr["delivered"] += 1
        stats.backscatter += 1  # the NDR reached the sender the worm forged
        self.settled = True

    def run(self):
        mta, world = self.mta, self.mta.world
        if mta.hosts(self.domain):  # the forged sender is one of its own users
            self.delivered()
            return
        while True:
            d = mta.destination(self.domain)
            if d.throttled_until > now():  # "delivery temporarily suspended"
                if not mta.defer(self):
                    return
                yield passivate, self
                continue
            if d.active >= int(d.window):
                d.waiting.append(self)
                self.granted = False
                yield passivate, self  # started by pump(), or deferred by throttle()
                if not self.granted:
                    continue
            else:
                d.active += 1
            self.granted = False
            server = world.mta_of(self.domain)
            duration = mta.resolver.lookup(self.domain)
            world.stats.smtp_sessions += 1
            duration += RTT if server.dead else ROUND_TRIPS_DELIVERED * RTT
            yield hold, self, duration
            d = mta.destinations[self.domain]
            d.active -= 1
            if server.dead:  # connection refused: a dead destination
                mta.throttle(self.domain)
                alive = mta.defer(self)
                mta.pump(self.domain)
                if not alive:
                    return
                yield passivate, self
                continue
            d.window = min(CONCURRENCY_LIMIT, d.window + 1.0 / d.window)
            mta.pump(self.domain)
            self.delivered()  # the sender exists: forged from real mailboxes
            return


class WormMessage(Process):
    """One worm message: one SMTP attempt from a bot, straight to the MX."""

    def __init__(self, world, bot, sender, domain, local):
        Process.__init__(self, name="worm")
        self.world = world
        self.bot = bot
        self.sender = sender
        self.domain = domain
        self.local = local
        world.stats.worm["created"] += 1

    def run(self):
        world = self.world
        server = world.mta_of(self.domain)
        duration = world.bots[self.bot].lookup(self.domain)
        world.stats.smtp_sessions += 1
        exists = world.mailbox_exists(self.domain, self.local)
        if server.dead:
            yield hold, self, duration + RTT
            world.stats.worm["rejected"] += 1
        elif not exists and not server.accept_all:  # 550 unknown user at RCPT
            yield hold, self, duration + ROUND_TRIPS_TO_RCPT * RTT
            world.stats.worm["rejected"] += 1
        else:
            yield hold, self, duration + ROUND_TRIPS_DELIVERED * RTT
            if exists:
                world.stats.worm["delivered"] += 1
            else:  # accepted, then local(8): unknown user; bounce to the forged sender
                world.stats.worm["bounced"] += 1
                ndr = Ndr(server, *self.sender)
                activate(ndr, ndr.run())


class Worm(Process):
    """The bots' superposed Poisson stream during the first day."""

    def __init__(self, world):
        Process.__init__(self, name="klez")
        self.world = world

    def run(self):
        world, rng, args = self.world, self.world.rng, self.world.args
        rate = args.messages / FLOOD_SECONDS
        mailboxes = args.domains * args.mailboxes
        while True:
            gap = rng.expovariate(rate)
            if now() + gap >= FLOOD_SECONDS:
                return
            yield hold, self, gap
            bot = rng.randrange(BOTS)
            forged = divmod(rng.randrange(mailboxes), args.mailboxes)
            domain, local = divmod(rng.randrange(mailboxes), args.mailboxes)
            if rng.random() < MADE_UP_SHARE:  # a dictionary guess "x<n>"
                domain = rng.randrange(args.domains)
                local = "x%d" % rng.randrange(1000000)
            m = WormMessage(world, bot, forged, domain, local)
            activate(m, m.run())


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--messages", type=int, default=1000000)
    p.add_argument("--domains", type=int, default=10000)
    p.add_argument("--mtas", type=int, default=1000)
    p.add_argument("--days", type=int, default=6)
    p.add_argument("--mailboxes", type=int, default=100)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    if min(args.messages, args.domains, args.mtas, args.days, args.mailboxes) < 1:
        p.error("every count must be at least 1")
    if args.domains < args.mtas:
        p.error("--domains: at least as many as --mtas")
    return args


def run(args):
    initialize()
    world = World(args, random.Random(args.seed))
    worm = Worm(world)
    activate(worm, worm.run())
    simulate(until=args.days * 86400.0)
    s = world.stats
    s.dns_queries = sum(m.resolver.misses for m in world.mtas)
    s.ndr["queued"] = s.ndr["created"] - s.ndr["delivered"] - s.ndr["dropped"]
    return s


def main(argv):
    start = time.perf_counter()
    args = parse_args(argv)
    s = run(args)
    out = {
        "messages": s.worm["created"] + s.ndr["created"],
        "worm": {k: s.worm[k] for k in ("created", "delivered", "rejected", "bounced")},
        "ndr": {k: s.ndr[k] for k in ("created", "delivered", "dropped", "queued")},
        "backscatter": s.backscatter,
        "smtp_sessions": s.smtp_sessions,
        "dns_queries": s.dns_queries,
        "wall_seconds": round(time.perf_counter() - start, 3),
    }
    if args.json:
        print(json.dumps(out))
    else:
        for key, value in out.items():
            print("%-14s %s" % (key, value))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
