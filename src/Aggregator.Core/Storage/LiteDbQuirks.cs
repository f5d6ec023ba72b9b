using System.Collections;
using System.Reflection;
using LiteDB;

namespace Aggregator.Core.Storage;

/// <summary>
/// LiteDB 5.0.21 leaves a transaction whose commit failed (disk full) undisposed; its finalizer later
/// tries to discard pages the failure left in the wrong state, and the exception it throws on the
/// finalizer thread ends the process. Before such a database is thrown away, its open transactions
/// are taken off the finalizer queue. Reflection over private fields, so it degrades to doing nothing
/// if a later LiteDB renames them (the upgrade's tests would then show the crash again).
/// </summary>
internal static class LiteDbQuirks
{
    private const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Instance;

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2075",
        Justification = "The native-AOT build keeps LiteDB whole (TrimmerRootAssembly), private fields included.")]
    public static void AbandonTransactions(LiteDatabase db)
    {
        try
        {
            var engine = typeof(LiteDatabase).GetField("_engine", Private)?.GetValue(db);
            var monitor = engine?.GetType().GetField("_monitor", Private)?.GetValue(engine);
            if (monitor?.GetType().GetField("_transactions", Private)?.GetValue(monitor) is not IDictionary transactions) return;
            lock (transactions.SyncRoot)
                foreach (var transaction in transactions.Values)
                    if (transaction is not null) GC.SuppressFinalize(transaction);
        }
        catch (Exception e) when (e is TargetException or FieldAccessException or InvalidOperationException or MemberAccessException)
        {
            // Nothing to do safely: the process may then meet LiteDB's finalizer bug.
        }
    }
}
