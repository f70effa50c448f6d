using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using RwHarness.Scenarios.Linearizability;
using FsProperty = FsCheck.NUnit.PropertyAttribute;

namespace RwHarness.Scenarios.Tests;

/// <summary>The linearizability checker on hand-made histories, and randomised: sequential histories always pass.</summary>
[TestFixture]
public sealed class LinearizabilityTests
{
    private static HistoryOperation Op(int thread, string name, string[] args, string? result, long invoke, long? response) =>
        new(0, thread, name, args, result, invoke, response);

    private static HistoryOperation Add(int t, string key, string value, long inv, long? resp) => Op(t, "Add", [key, value], null, inv, resp);

    private static HistoryOperation Delete(int t, string key, long inv, long? resp) => Op(t, "Delete", [key], null, inv, resp);

    private static HistoryOperation Query(int t, string key, string? result, long inv, long? resp) => Op(t, "Query", [key], result, inv, resp);

    private static LinearizabilityResult Check(params HistoryOperation[] ops) =>
        LinearizabilityChecker.Check(ops.Select((o, i) => o with { Id = i }).ToList(), SequentialDictionary.Instance);

    [Test]
    public void EmptyHistoryIsLinearizable() => Assert.That(Check().IsLinearizable, Is.True);

    [Test]
    public void SequentialAddThenQueryIsLinearizable()
    {
        var r = Check(Add(0, "a", "p1", 1, 2), Query(1, "a", "p1", 3, 4));
        Assert.That(r.IsLinearizable, Is.True, r.Explanation);
        Assert.That(r.Order.Select(o => o.Name), Is.EqualTo(new[] { "Add", "Query" }));
    }

    [Test]
    public void OverlappingQuerySeesTheAddWhenTheAddGoesFirst()
    {
        var r = Check(Add(0, "a", "p1", 1, 4), Query(1, "a", "p1", 2, 3));
        Assert.That(r.IsLinearizable, Is.True, r.Explanation);
        Assert.That(r.Order.Select(o => o.Name), Is.EqualTo(new[] { "Add", "Query" }));
    }

    [Test]
    public void OverlappingQueryMissesTheAddWhenTheQueryGoesFirst()
    {
        // The same overlap with the other result: the checker must find the other order.
        var r = Check(Add(0, "a", "p1", 1, 4), Query(1, "a", null, 2, 3));
        Assert.That(r.IsLinearizable, Is.True, r.Explanation);
        Assert.That(r.Order.Select(o => o.Name), Is.EqualTo(new[] { "Query", "Add" }));
        Assert.That(r.Explanation, Does.StartWith("linearizable as: T1 Query(a) -> nil"));
    }

    [Test]
    public void ConcurrentAddAndDeleteMayLandInEitherOrder()
    {
        var deleteLast = Check(Add(0, "a", "p1", 1, 2), Add(0, "a", "p2", 3, 6), Delete(1, "a", 4, 5), Query(2, "a", null, 7, 8));
        var addLast = Check(Add(0, "a", "p1", 1, 2), Add(0, "a", "p2", 3, 6), Delete(1, "a", 4, 5), Query(2, "a", "p2", 7, 8));
        Assert.That(deleteLast.IsLinearizable, Is.True, deleteLast.Explanation);
        Assert.That(addLast.IsLinearizable, Is.True, addLast.Explanation);
    }

    [Test]
    public void QueryReturningAValueDeletedBeforeItWasInvokedIsNotLinearizable()
    {
        var r = Check(Add(0, "a", "p1", 1, 2), Delete(1, "a", 3, 4), Query(2, "a", "p1", 5, 6));
        Assert.That(r.IsLinearizable, Is.False);
        Assert.That(r.Culprit!.Name, Is.EqualTo("Query"));
        Assert.That(r.Explanation, Does.Contain("T2 Query(a) -> p1 [5..6] must take effect before it returns, but there it would return nil, not p1"));
        Assert.That(r.Explanation, Does.Contain("Longest legal order: T0 Add(a, p1); T1 Delete(a), reaching {}"));
    }

    [Test]
    public void StaleReadAfterACompletedAddIsNotLinearizable()
    {
        var r = Check(Add(0, "a", "p1", 1, 2), Add(0, "a", "p2", 3, 4), Query(1, "a", "p1", 5, 6));
        Assert.That(r.IsLinearizable, Is.False);
        Assert.That(r.Explanation, Does.Contain("would return p2, not p1"));
    }

    [Test]
    public void ReadersThatSeeTwoConcurrentAddsInOppositeOrdersAreNotLinearizable()
    {
        // Each reader alone is fine (the adds overlap, either order is possible); together they are not.
        var r = Check(
            Add(0, "a", "p1", 1, 20),
            Add(1, "a", "p2", 1, 20),
            Query(2, "a", "p1", 2, 3),
            Query(2, "a", "p2", 4, 5),
            Query(3, "a", "p2", 2, 3),
            Query(3, "a", "p1", 4, 5));
        Assert.That(r.IsLinearizable, Is.False, r.Explanation);
        var oneReader = Check(Add(0, "a", "p1", 1, 20), Add(1, "a", "p2", 1, 20), Query(2, "a", "p1", 2, 3), Query(2, "a", "p2", 4, 5));
        Assert.That(oneReader.IsLinearizable, Is.True, oneReader.Explanation);
    }

    [Test]
    public void TheShortestFailingPrefixLeavesLaterOperationsOut()
    {
        var r = Check(
            Add(0, "a", "p1", 1, 2),
            Query(1, "b", "p9", 3, 4),
            Add(0, "b", "p2", 5, 6),
            Query(1, "a", "p1", 7, 8),
            Delete(0, "a", 9, 10));
        Assert.That(r.IsLinearizable, Is.False);
        Assert.That(r.FailingPrefix.Select(o => o.ToString()), Is.EqualTo(new[] { "T0 Add(a, p1) -> nil [1..2]", "T1 Query(b) -> p9 [3..4]" }));
        Assert.That(r.Explanation, Does.Contain("Shortest failing prefix (2 operations)"));
    }

    [Test]
    public void CallsStillRunningAtTheCutArePendingInThePrefix()
    {
        // The prefix ends when the stale Query returns; Add(c) has been invoked but has not returned by then,
        // so the prefix keeps it as a pending call.
        var r = Check(
            Add(0, "a", "p1", 1, 2),
            Add(1, "c", "p3", 3, 10),
            Delete(0, "a", 4, 5),
            Query(0, "a", "p1", 6, 7));
        Assert.That(r.IsLinearizable, Is.False);
        Assert.That(r.FailingPrefix.Single(o => o.Name == "Add" && o.Args[0] == "c").IsPending, Is.True);
        Assert.That(r.Explanation, Does.Contain("T1 Add(c, p3) (pending) [3..]"));
    }

    [Test]
    public void APendingCallMayTakeEffectOrNot()
    {
        Assert.That(Check(Add(0, "a", "p1", 1, null), Query(1, "a", "p1", 2, 3)).IsLinearizable, Is.True);
        Assert.That(Check(Add(0, "a", "p1", 1, null), Query(1, "a", null, 2, 3)).IsLinearizable, Is.True);
        Assert.That(Check(Add(0, "a", "p1", 3, null), Query(1, "a", "p1", 1, 2)).IsLinearizable, Is.False);
    }

    [Test]
    public void AResponseBeforeItsInvocationIsRejected() =>
        Assert.Throws<ArgumentException>(() => Check(Query(0, "a", null, 5, 4)));

    [Test]
    public void ManyOverlappingCallsAreCheckedQuicklyThanksToMemoization()
    {
        // 4 threads x 12 calls, each overlapping its neighbours: without memoization the search is factorial.
        var h = ConcurrentFromSequential(new System.Random(7), 48, window: 6);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var r = LinearizabilityChecker.Check(h, SequentialDictionary.Instance);
        Assert.That(r.IsLinearizable, Is.True, r.Explanation);
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
    }

    [FsProperty(MaxTest = 200)]
    public Property SequentialHistoriesAreAlwaysLinearizable() =>
        Prop.ForAll(Arb.From(from seed in Gen.Choose(0, int.MaxValue) from n in Gen.Choose(0, 30) select (seed, n)), x =>
        {
            var h = ConcurrentFromSequential(new System.Random(x.seed), x.n, window: 0);
            var r = LinearizabilityChecker.Check(h, SequentialDictionary.Instance);
            return r.IsLinearizable && r.Order.Select(o => o.Id).SequenceEqual(h.Select(o => o.Id));
        });

    [FsProperty(MaxTest = 200)]
    public Property HistoriesWidenedAroundASequentialRunAreLinearizable() =>
        Prop.ForAll(Arb.From(from seed in Gen.Choose(0, int.MaxValue) from n in Gen.Choose(0, 24) from w in Gen.Choose(1, 5) select (seed, n, w)), x =>
        {
            var h = ConcurrentFromSequential(new System.Random(x.seed), x.n, x.w);
            return LinearizabilityChecker.Check(h, SequentialDictionary.Instance).IsLinearizable;
        });

    [FsProperty(MaxTest = 200)]
    public Property ASequentialHistoryWithOneWrongQueryIsNot() =>
        Prop.ForAll(Arb.From(from seed in Gen.Choose(0, int.MaxValue) from n in Gen.Choose(1, 30) select (seed, n)), x =>
        {
            var h = ConcurrentFromSequential(new System.Random(x.seed), x.n, window: 0).ToList();
            var queries = h.Where(o => o.Name == "Query").ToList();
            if (queries.Count == 0)
            {
                return true;
            }
            var q = queries[x.seed % queries.Count];
            h[q.Id] = q with { Result = q.Result is null ? "bogus" : null };
            var r = LinearizabilityChecker.Check(h, SequentialDictionary.Instance);
            return !r.IsLinearizable && r.Culprit!.Id == q.Id;
        });

    /// <summary>
    /// Runs random calls one after another on the sequential dictionary (so the results are right), on
    /// random threads, then widens each call's interval by up to <paramref name="window"/> clock ticks on
    /// each side. The sequential order stays a witness, so the history must be linearizable.
    /// </summary>
    private static List<HistoryOperation> ConcurrentFromSequential(System.Random rng, int count, int window)
    {
        var spec = SequentialDictionary.Instance;
        var state = spec.Initial;
        var ops = new List<HistoryOperation>();
        string[] keys = ["a", "b", "c"];
        for (var i = 0; i < count; i++)
        {
            var key = keys[rng.Next(keys.Length)];
            var op = rng.Next(3) switch
            {
                0 => Add(0, key, "p" + i, 0, 0),
                1 => Delete(0, key, 0, 0),
                _ => Query(0, key, null, 0, 0),
            };
            var (next, result) = spec.Apply(state, op);
            state = next;
            long at = 10 * (i + 1);
            ops.Add(op with
            {
                Id = i,
                Thread = rng.Next(4),
                Result = result,
                Invoke = at - (window == 0 ? 0 : rng.Next(window * 10)),
                Response = at + 1 + (window == 0 ? 0 : rng.Next(window * 10)),
            });
        }
        return ops;
    }
}
