using RwHarness.Model;

namespace RwHarness.Scenarios.Mutants;

/// <summary>
/// A deliberately broken lock: a copy of a shipped lock with one marked change (<c>// MUTANT:</c>), the
/// same traits and misuse messages as the original, and the bug in <see cref="LockDescriptor.Description"/>.
/// Mutants measure the harness: every one must be caught by some scenario under the default budget.
/// </summary>
public abstract class MutantDescriptor : LockDescriptor
{
    /// <summary>The shipped lock this one is a broken copy of (for example <c>counter-negation</c>).</summary>
    public abstract string Original { get; }
}
