namespace RwHarness.Engine.Strategies;

/// <summary>Replays one recorded schedule: the choice at every point where more than one thread could run.</summary>
public sealed class ReplayStrategy(IReadOnlyList<int> decisions) : IStrategy
{
    private int index;

    public string Name => "replay";

    public bool NewExecution(long iteration, int threadCount)
    {
        index = 0;
        return true;
    }

    public int NextThread(ReadOnlySpan<int> enabled, int current)
    {
        if (index >= decisions.Count)
        {
            // Past the recorded schedule (the original ended here): continue deterministically.
            return current >= 0 ? current : enabled[0];
        }
        var choice = decisions[index++];
        if (!enabled.Contains(choice))
        {
            throw new ReplayDivergenceException(
                $"replay diverged at choice {index}: the schedule asks for thread T{choice}, but only {string.Join(", ", enabled.ToArray().Select(t => "T" + t))} can run");
        }
        return choice;
    }
}
