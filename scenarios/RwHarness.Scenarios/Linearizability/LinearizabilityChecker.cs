using System.Text;

namespace RwHarness.Scenarios.Linearizability;

/// <summary>
/// Decides whether a concurrent history is linearizable against a sequential specification: whether
/// every operation can be given a point, between its invocation and its response, at which it takes
/// effect atomically, such that the results match the specification run in that order.
/// </summary>
/// <remarks>
/// Wing and Gong's algorithm (J. M. Wing, C. Gong, "Testing and verifying concurrent objects", J. Parallel
/// Distrib. Comput. 17, 1993): walk the history's events in time order; at an invocation, try to linearize
/// that operation next (apply it to the specification; its result must match) and restart from the first
/// remaining event; at a response whose operation has not been linearized yet, backtrack. With Lowe's
/// memoization (G. Lowe, "Testing for linearizability", Concurrency and Computation: Practice and
/// Experience 29(4), 2017): a configuration (set of linearized operations, specification state) that has
/// been explored once is never explored again, which turns the worst case from factorial into the number of
/// reachable configurations. A pending operation (no response) may take effect anywhere after its
/// invocation with any result; taking effect last is as good as never, so it is treated as responding at
/// infinity with its result unchecked.
/// </remarks>
public static class LinearizabilityChecker
{
    /// <summary>Checks <paramref name="history"/>; when it is not linearizable, also finds its shortest failing prefix.</summary>
    public static LinearizabilityResult Check<TState>(IReadOnlyList<HistoryOperation> history, ISequentialSpec<TState> spec)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(spec);
        foreach (var op in history)
        {
            if (op.Response is { } r && r < op.Invoke)
            {
                throw new ArgumentException($"{op} responds before it is invoked", nameof(history));
            }
        }
        var full = Search(history, spec);
        if (full.Linearizable)
        {
            return new LinearizabilityResult
            {
                IsLinearizable = true,
                Order = full.Order,
                FailingPrefix = [],
                Configurations = full.Configurations,
                Explanation = "linearizable as: " + string.Join("; ", full.Order.Select(o => o.ToString())),
            };
        }

        // Linearizability is prefix-closed: once a prefix fails, every longer one does. So binary-search the
        // cut points (responses, in time order) for the shortest failing prefix.
        var cuts = history.Where(o => o.Response is not null).Select(o => o.Response!.Value).Distinct().Order().ToList();
        int lo = 0, hi = cuts.Count - 1;
        var failing = full;
        var prefix = history;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            var cut = Cut(history, cuts[mid]);
            var s = Search(cut, spec);
            if (s.Linearizable)
            {
                lo = mid + 1;
            }
            else
            {
                failing = s;
                prefix = cut;
                hi = mid - 1;
            }
        }
        return new LinearizabilityResult
        {
            IsLinearizable = false,
            Order = failing.Order,
            Culprit = failing.Culprit,
            FailingPrefix = prefix,
            Configurations = full.Configurations,
            Explanation = Explain(prefix, failing, spec),
        };
    }

    /// <summary>The history as it stood at time <paramref name="t"/>: later calls dropped, unfinished ones pending.</summary>
    public static IReadOnlyList<HistoryOperation> Cut(IReadOnlyList<HistoryOperation> history, long t) =>
        history.Where(o => o.Invoke <= t)
            .Select(o => o.Response is { } r && r > t ? o with { Response = null, Result = null } : o)
            .ToList();

    private static string Explain<TState>(IReadOnlyList<HistoryOperation> prefix, SearchOutcome<TState> failing, ISequentialSpec<TState> spec)
    {
        var sb = new StringBuilder();
        sb.Append("not linearizable. Shortest failing prefix (").Append(prefix.Count).Append(" operations): ")
            .Append(string.Join("; ", prefix.OrderBy(o => o.Invoke).Select(o => o.ToString()))).Append(". ");
        if (failing.Order.Count == 0)
        {
            sb.Append("No operation can take effect first");
        }
        else
        {
            sb.Append("Longest legal order: ").Append(string.Join("; ", failing.Order.Select(o => $"T{o.Thread} {o.Call}")))
                .Append(", reaching ").Append(spec.Describe(failing.State!));
        }
        if (failing.Culprit is { } c)
        {
            var expected = spec.Apply(failing.State!, c).Result;
            sb.Append("; then ").Append(c).Append(" must take effect before it returns, but there it would return ")
                .Append(expected ?? "nil");
            if (!string.Equals(expected, c.Result, StringComparison.Ordinal))
            {
                sb.Append(", not ").Append(c.Result ?? "nil");
            }
            sb.Append(", and no other order of the overlapping operations helps");
        }
        return sb.Append('.').ToString();
    }

    private static SearchOutcome<TState> Search<TState>(IReadOnlyList<HistoryOperation> ops, ISequentialSpec<TState> spec)
    {
        // The event list: a doubly linked list of invocations and responses in time order (invocations first on
        // ties, so operations that touch at one instant count as overlapping). A call entry links to its return.
        var events = new List<Entry>(ops.Count * 2);
        for (var i = 0; i < ops.Count; i++)
        {
            var call = new Entry(i, true, ops[i].Invoke);
            var ret = new Entry(i, false, ops[i].Response ?? long.MaxValue);
            call.Match = ret;
            events.Add(call);
            events.Add(ret);
        }
        events.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.IsCall != b.IsCall ? (a.IsCall ? -1 : 1) : a.Op.CompareTo(b.Op));
        var head = new Entry(-1, false, long.MinValue);
        var prev = head;
        foreach (var e in events)
        {
            prev.Next = e;
            e.Prev = prev;
            prev = e;
        }

        var comparer = new ConfigComparer<TState>(spec);
        var cache = new HashSet<(Bits Linearized, TState State)>(comparer);
        var stack = new Stack<(Entry Call, TState Before)>();
        var linearized = new Bits(ops.Count);
        var state = spec.Initial;
        var bestDepth = -1;
        List<HistoryOperation> bestOrder = [];
        var bestState = state;
        HistoryOperation? culprit = null;
        var entry = head.Next;
        while (head.Next is not null)
        {
            if (entry!.IsCall)
            {
                var op = ops[entry.Op];
                var (next, expected) = spec.Apply(state, op);
                if (op.IsPending || string.Equals(expected, op.Result, StringComparison.Ordinal))
                {
                    var bits = linearized.With(entry.Op);
                    if (cache.Add((bits, next)))
                    {
                        stack.Push((entry, state));
                        state = next;
                        linearized = bits;
                        Lift(entry);
                        entry = head.Next;
                        continue;
                    }
                }
                entry = entry.Next;
            }
            else
            {
                // The operation returning here was not linearized before its response: this branch is dead.
                if (stack.Count > bestDepth)
                {
                    bestDepth = stack.Count;
                    bestOrder = stack.Reverse().Select(s => ops[s.Call.Op]).ToList();
                    bestState = state;
                    culprit = ops[entry.Op];
                }
                if (stack.Count == 0)
                {
                    return new SearchOutcome<TState>(false, bestOrder, bestState, culprit, cache.Count);
                }
                var (top, before) = stack.Pop();
                state = before;
                linearized = linearized.Without(top.Op);
                Unlift(top);
                entry = top.Next;
            }
        }
        return new SearchOutcome<TState>(true, stack.Reverse().Select(s => ops[s.Call.Op]).ToList(), state, null, cache.Count);
    }

    private static void Lift(Entry call)
    {
        call.Prev!.Next = call.Next;
        call.Next!.Prev = call.Prev;
        var ret = call.Match!;
        ret.Prev!.Next = ret.Next;
        if (ret.Next is not null)
        {
            ret.Next.Prev = ret.Prev;
        }
    }

    private static void Unlift(Entry call)
    {
        var ret = call.Match!;
        ret.Prev!.Next = ret;
        if (ret.Next is not null)
        {
            ret.Next.Prev = ret;
        }
        call.Prev!.Next = call;
        call.Next!.Prev = call;
    }

    private sealed class Entry(int op, bool isCall, long time)
    {
        public int Op { get; } = op;
        public bool IsCall { get; } = isCall;
        public long Time { get; } = time;
        public Entry? Match { get; set; }
        public Entry? Prev { get; set; }
        public Entry? Next { get; set; }
    }

    private sealed record SearchOutcome<TState>(bool Linearizable, List<HistoryOperation> Order, TState? State, HistoryOperation? Culprit, int Configurations);

    /// <summary>An immutable set of operation indices (copy on write), the first half of a memoized configuration.</summary>
    private readonly struct Bits(ulong[] words)
    {
        private readonly ulong[] words = words;

        public Bits(int count)
            : this(new ulong[(count + 63) / 64])
        {
        }

        public Bits With(int i)
        {
            var w = (ulong[])words.Clone();
            w[i >> 6] |= 1UL << (i & 63);
            return new Bits(w);
        }

        public Bits Without(int i)
        {
            var w = (ulong[])words.Clone();
            w[i >> 6] &= ~(1UL << (i & 63));
            return new Bits(w);
        }

        public bool SameAs(Bits other) => words.AsSpan().SequenceEqual(other.words);

        public int Hash()
        {
            var h = new HashCode();
            foreach (var w in words)
            {
                h.Add(w);
            }
            return h.ToHashCode();
        }
    }

    private sealed class ConfigComparer<TState>(ISequentialSpec<TState> spec) : IEqualityComparer<(Bits Linearized, TState State)>
    {
        public bool Equals((Bits Linearized, TState State) x, (Bits Linearized, TState State) y) =>
            x.Linearized.SameAs(y.Linearized) && spec.StateEquals(x.State, y.State);

        public int GetHashCode((Bits Linearized, TState State) obj) => HashCode.Combine(obj.Linearized.Hash(), spec.StateHash(obj.State));
    }
}

/// <summary>The checker's verdict.</summary>
public sealed class LinearizabilityResult
{
    public bool IsLinearizable { get; init; }

    /// <summary>When linearizable, the witness order; otherwise the longest legal order of the shortest failing prefix.</summary>
    public required IReadOnlyList<HistoryOperation> Order { get; init; }

    /// <summary>When not linearizable: the shortest prefix of the history that already is not (unfinished calls pending).</summary>
    public required IReadOnlyList<HistoryOperation> FailingPrefix { get; init; }

    /// <summary>When not linearizable: the operation that could not take effect after <see cref="Order"/>.</summary>
    public HistoryOperation? Culprit { get; init; }

    /// <summary>Configurations (linearized set, state) the search memoized on the whole history.</summary>
    public int Configurations { get; init; }

    /// <summary>One paragraph a person can check by hand: the witness order, or why no order exists.</summary>
    public required string Explanation { get; init; }

    public override string ToString() => Explanation;
}
