using System.Runtime.InteropServices;

namespace RwHarness.Engine.Runtime;

/// <summary>
/// Linux-only accelerators for the hand-off between host threads: pin a worker's threads to one core
/// (a hand-off becomes a same-core context switch, no cross-core wake-up) and sleep/wake on a raw futex
/// (one system call each way). Elsewhere every call reports false and the portable path is used.
/// </summary>
internal static unsafe partial class LinuxThreads
{
    private const int SysFutex = 202; // x86_64
    private const int FutexWaitPrivate = 128;
    private const int FutexWakePrivate = 129;

    public static readonly bool Available = OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall4(long number, int* address, int op, int value, void* timeout);

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int SchedSetAffinity(int pid, nint size, ulong* mask);

    [LibraryImport("libc", EntryPoint = "sched_getaffinity", SetLastError = true)]
    private static partial int SchedGetAffinity(int pid, nint size, ulong* mask);

    /// <summary>Pins the calling thread to <paramref name="cpu"/>; false when that is not possible.</summary>
    public static bool PinCurrentThread(int cpu)
    {
        if (!Available || cpu < 0 || cpu >= 64)
        {
            return false;
        }
        var mask = 1UL << cpu;
        return SchedSetAffinity(0, sizeof(ulong), &mask) == 0;
    }

    /// <summary>The calling thread's CPU mask (first 64 CPUs), or 0 when unknown.</summary>
    public static ulong CurrentMask()
    {
        if (!Available)
        {
            return 0;
        }
        ulong mask = 0;
        return SchedGetAffinity(0, sizeof(ulong), &mask) == 0 ? mask : 0;
    }

    /// <summary>Restores a mask read by <see cref="CurrentMask"/>.</summary>
    public static void RestoreMask(ulong mask)
    {
        if (Available && mask != 0)
        {
            SchedSetAffinity(0, sizeof(ulong), &mask);
        }
    }

    /// <summary>Sleeps while *<paramref name="address"/> == <paramref name="expected"/> (spurious returns allowed).</summary>
    public static void FutexWait(int* address, int expected) => Syscall4(SysFutex, address, FutexWaitPrivate, expected, null);

    /// <summary>As <see cref="FutexWait(int*, int)"/>, for at most <paramref name="timeout"/>.</summary>
    public static void FutexWait(int* address, int expected, TimeSpan timeout)
    {
        var ts = stackalloc long[2];
        ts[0] = (long)timeout.TotalSeconds;
        ts[1] = (long)(timeout.Ticks % TimeSpan.TicksPerSecond) * 100;
        Syscall4(SysFutex, address, FutexWaitPrivate, expected, ts);
    }

    public static void FutexWake(int* address) => Syscall4(SysFutex, address, FutexWakePrivate, 1, null);
}
