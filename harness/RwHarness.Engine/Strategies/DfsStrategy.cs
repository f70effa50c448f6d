namespace RwHarness.Engine.Strategies;

/// <summary>
/// Exhaustive depth-first search over schedules (stateless model checking, Godefroid, "Model Checking
/// for Programming Languages using VeriSoft", POPL 1997), with optional preemption bounding
/// (Musuvathi and Qadeer, "Iterative Context Bounding for Systematic Testing of Multithreaded Programs",
/// PLDI 2007). Each execution replays the stack's prefix and extends it; backtracking advances the deepest
/// choice with an untried alternative. When the stack empties, every schedule within the bound has run.
/// </summary>
public sealed class DfsStrategy(int? preemptionBound) : IStrategy
{
    private readonly List<Node> stack = [];
    private int depth;
    private bool started;

    public string Name => "dfs";

    public int? PreemptionBound => preemptionBound;

    public bool Exhausted { get; private set; }

    public bool NewExecution(long iteration, int threadCount)
    {
        depth = 0;
        if (!started)
        {
            started = true;
            return true;
        }
        while (stack.Count > 0 && !stack[^1].Advance(preemptionBound))
        {
            stack.RemoveAt(stack.Count - 1);
        }
        if (stack.Count == 0)
        {
            Exhausted = true;
            return false;
        }
        return true;
    }

    public int NextThread(ReadOnlySpan<int> enabled, int current)
    {
        if (depth < stack.Count)
        {
            var replayed = stack[depth++];
            return replayed.Choice;
        }
        var before = stack.Count == 0 ? 0 : stack[^1].PreemptionsAfter;
        var node = new Node(enabled, current, before);
        if (!node.First(preemptionBound))
        {
            // Cannot happen: continuing the current thread (or a free switch) is never a preemption.
            throw new InvalidOperationException("dfs found no schedulable thread");
        }
        stack.Add(node);
        depth++;
        return node.Choice;
    }

    /// <summary>One choice point: the runnable threads (current first), and which one this branch took.</summary>
    private sealed class Node
    {
        private readonly int[] order;
        private readonly int current;
        private readonly int preemptionsBefore;
        private int index = -1;

        public Node(ReadOnlySpan<int> enabled, int current, int preemptionsBefore)
        {
            this.current = current;
            this.preemptionsBefore = preemptionsBefore;
            order = new int[enabled.Length];
            var j = 0;
            if (current >= 0 && enabled.Contains(current))
            {
                // Continuing the current thread first makes the first schedule preemption-free.
                order[j++] = current;
            }
            foreach (var id in enabled)
            {
                if (id != current)
                {
                    order[j++] = id;
                }
            }
        }

        public int Choice => order[index];

        public int PreemptionsAfter => preemptionsBefore + (IsPreemption(Choice) ? 1 : 0);

        public bool First(int? bound)
        {
            index = -1;
            return Advance(bound);
        }

        public bool Advance(int? bound)
        {
            while (++index < order.Length)
            {
                if (bound is null || preemptionsBefore + (IsPreemption(order[index]) ? 1 : 0) <= bound)
                {
                    return true;
                }
            }
            return false;
        }

        private bool IsPreemption(int choice) => current >= 0 && choice != current;
    }
}
