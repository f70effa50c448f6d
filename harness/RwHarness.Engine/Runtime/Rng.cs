namespace RwHarness.Engine.Runtime;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and the same on every runtime, so a seed
/// means the same schedules on every machine and in every release.
/// </summary>
internal struct Rng(ulong seed)
{
    private ulong state = seed;

    public ulong Next()
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, bound).</summary>
    public int Next(int bound) => (int)(Next() % (ulong)bound);

    /// <summary>The seed of iteration <paramref name="iteration"/> of a run seeded with <paramref name="seed"/>: independent of which worker runs it.</summary>
    public static ulong ForIteration(long seed, long iteration)
    {
        var r = new Rng((ulong)seed ^ (0xD1B54A32D192ED03UL * (ulong)(iteration + 1)));
        r.Next();
        return r.Next();
    }
}
