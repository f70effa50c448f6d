using RwHarness.Model;

namespace RwHarness.Scenarios.Mutants;

/// <summary>
/// Every mutant, by name (<c>mutant-&lt;short-name&gt;</c>). They live here, never among the shipped locks;
/// <c>rwharness mutants</c> runs the default check budget on each and reports <c>caught K of N mutants</c>.
/// </summary>
public static class MutantCatalog
{
    public static IReadOnlyList<MutantDescriptor> All { get; } =
    [
        // Go sync.RWMutex (counter-negation)
        new CnWriterSkipsReaderWaitDescriptor(),
        new CnReaderWaitNonAtomicDescriptor(),
        new CnWakeOneShortDescriptor(),
        new CnWakeBeforeRestoreDescriptor(),
        new CnRUnlockWakesEarlyDescriptor(),
        new CnTryRLockIgnoresWriterDescriptor(),
        new CnRUnlockNoMisuseCheckDescriptor(),
        new CnTryLockKeepsWDescriptor(),
        new GoMutexUnlockNoWakeDescriptor(),

        // Go runtime rwmutex (reader-queue)
        new RqNoReaderPassDescriptor(),
        new RqPassCountsWokenDescriptor(),
        new RqWLockReleasedEarlyDescriptor(),
        new RqWriterLostWakeupDescriptor(),

        // BRAVO
        new BravoWriterSkipsDrainDescriptor(),
        new BravoReaderNoRecheckDescriptor(),
    ];

    /// <summary>The mutant called <paramref name="name"/>, or null.</summary>
    public static LockDescriptor? Find(string name) => All.FirstOrDefault(m => m.Name == name);
}
