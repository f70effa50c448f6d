namespace RwHarness.Locks.Redis.Tests;

internal static class TestSupport
{
    /// <summary>Every wait in these tests is bounded by this.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    /// <summary>Short leases keep the suite fast: killed or paused holders age out in about a second.</summary>
    public static RedisRwLockOptions Options(RedisRwLockMode mode = RedisRwLockMode.WriterPreferring, double leaseSeconds = 1.5) => new()
    {
        Mode = mode,
        Lease = TimeSpan.FromSeconds(leaseSeconds),
        MaxBackoff = TimeSpan.FromMilliseconds(100),
    };

    public static string NewName() => "t-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>Polls <paramref name="condition"/> every 50 ms until it holds or <see cref="Bound"/> passes.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        var end = DateTime.UtcNow + Bound;
        while (DateTime.UtcNow < end)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    /// <summary>The StressClient dll, built next to this project (ReferenceOutputAssembly=false), or RWH_STRESS_CLIENT_DLL.</summary>
    public static string StressClientDll()
    {
        var overridden = Environment.GetEnvironmentVariable("RWH_STRESS_CLIENT_DLL");
        if (!string.IsNullOrEmpty(overridden))
        {
            return overridden;
        }

        const string project = "RwHarness.Locks.Redis.StressClient";
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = baseDir.Parent?.Name ?? "Debug"; // bin/<Configuration>/net10.0/
        for (var dir = baseDir; dir is not null; dir = dir.Parent)
        {
            var projectDir = Path.Combine(dir.FullName, project);
            if (!Directory.Exists(Path.Combine(projectDir, "bin")))
            {
                continue;
            }

            var candidates = Directory.GetFiles(Path.Combine(projectDir, "bin"), project + ".dll", SearchOption.AllDirectories)
                .Where(f => !f.Contains(Path.DirectorySeparatorChar + "ref" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                .OrderByDescending(f => f.Contains(Path.DirectorySeparatorChar + configuration + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                .ThenByDescending(File.GetLastWriteTimeUtc)
                .ToList();
            if (candidates.Count > 0)
            {
                return candidates[0];
            }
        }

        throw new FileNotFoundException($"{project}.dll not found above {baseDir.FullName}; build the test project (it references the client) or set RWH_STRESS_CLIENT_DLL");
    }
}
