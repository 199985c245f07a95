using VectLite.Storage;
using VectLite.Tests.Engine;
using Xunit.Abstractions;

namespace VectLite.Tests.Storage;

/// <summary>
/// SQLite-style I/O-error tests: the scripted <see cref="FaultWorkload"/> runs once per operation number N, with
/// operation N failing (EIO, ENOSPC, or a short write), until N passes the workload's operation count. Every failure
/// must reach the caller as a <see cref="StorageException"/> with the right code, the database must reopen with
/// every acknowledged write and nothing of an unacknowledged one but all of it or none, and (for a passing fault) the
/// same handle must accept writes again once the fault is gone.
/// </summary>
/// <remarks>
/// Real fsyncs are skipped (<see cref="FaultInjectingStorage.ForwardSyncs"/>): these tests check what the engine does
/// with an error, not what the disk keeps; the power-loss tests check that.
/// </remarks>
public sealed class FaultInjectionTests(ITestOutputHelper output)
{
    private static readonly IReadOnlyList<FaultWorkload.Step> Steps = FaultWorkload.Steps;

    public static TheoryData<InjectedFault> Faults => new() { InjectedFault.IOError, InjectedFault.DiskFull, InjectedFault.ShortWrite };

    private static VectLiteErrorCode ExpectedCode(InjectedFault fault) =>
        fault == InjectedFault.IOError ? VectLiteErrorCode.StorageFailure : VectLiteErrorCode.StorageFull;

    [Theory]
    [MemberData(nameof(Faults))]
    public void A_passing_fault_at_any_operation_fails_that_call_only_and_writes_resume(InjectedFault fault)
    {
        int runs = 0, failedCalls = 0;
        for (int n = 1; ; n++)
        {
            using var temp = new TempDatabase();
            var device = new FaultInjectingStorage(FileSystemStorage.Instance) { FailAt = n, Fault = fault, ForwardSyncs = false };
            var holder = new FaultWorkload.Holder(temp.Path, new DatabaseOptions { Storage = device });
            var model = new ExpectedDatabase();
            foreach (FaultWorkload.Step step in Steps)
            {
                int faultsBefore = device.FaultsInjected;
                bool threw = false;
                try
                {
                    step.Run(holder);
                }
                catch (StorageException ex)
                {
                    Assert.True(device.FaultsInjected > faultsBefore, $"N={n} {step.Name}: a StorageException without an injected fault: {ex.Message}");
                    Assert.Equal(ExpectedCode(fault), ex.Code);
                    failedCalls++;
                    threw = true;
                    device.ClearFaults(); // the disk answers again: later calls must succeed on the same handle
                    if (!step.Structural)
                    {
                        continue; // not acknowledged: the model goes on without it, and none of it may show up
                    }
                    step.Run(holder);
                }
                if (!threw && device.FaultsInjected > faultsBefore && device.FirstFaulted is { } swallowed)
                {
                    // Only best-effort clean-up may absorb a fault without failing the call.
                    Assert.True(swallowed.Kind is StorageOperationKind.Delete or StorageOperationKind.DeleteDirectory,
                        $"N={n} {step.Name}: the fault at {swallowed.Kind} {swallowed.Path} was swallowed");
                }
                step.Apply(model);
            }
            holder.Db?.Dispose();

            using (Database reopened = Database.Open(temp.Path))
            {
                string actual = ExpectedDatabase.Read(reopened);
                Assert.True(model.Render() == actual, $"N={n}: after a passing {fault}, the reopened database holds\n{actual}\nexpected\n{model.Render()}");
            }
            runs++;
            if (device.FaultsInjected == 0)
            {
                break; // N is past the workload's last operation
            }
        }
        output.WriteLine($"{fault}: {runs} runs, one per operation of the workload, {failedCalls} calls failed");
        Assert.True(runs > 60, $"the workload performed only {runs - 1} storage operations; it no longer exercises the write paths");
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public void A_lasting_fault_from_any_operation_on_leaves_a_database_that_reopens_with_every_acknowledged_write(InjectedFault fault)
    {
        int runs = 0;
        for (int n = 1; ; n++)
        {
            using var temp = new TempDatabase();
            var device = new FaultInjectingStorage(FileSystemStorage.Instance) { FailAt = n, FailFromThenOn = true, Fault = fault, ForwardSyncs = false };
            var holder = new FaultWorkload.Holder(temp.Path, new DatabaseOptions { Storage = device });
            var acknowledged = new ExpectedDatabase();
            ExpectedDatabase? withFailedStep = null;
            foreach (FaultWorkload.Step step in Steps)
            {
                try
                {
                    step.Run(holder);
                }
                catch (StorageException ex)
                {
                    Assert.Equal(ExpectedCode(fault), ex.Code);
                    withFailedStep = acknowledged.Clone();
                    step.Apply(withFailedStep);
                    break;
                }
                step.Apply(acknowledged);
            }
            try
            {
                holder.Db?.Dispose(); // the disk is still failing: closing may fail, but only with a typed error
            }
            catch (StorageException ex)
            {
                Assert.Equal(ExpectedCode(fault), ex.Code);
            }

            // Restart on a healthy disk: the acknowledged state, or that plus the whole failed call; never part of it.
            using (Database reopened = Database.Open(temp.Path))
            {
                string actual = ExpectedDatabase.Read(reopened);
                string expected = acknowledged.Render();
                if (actual != expected && withFailedStep is not null)
                {
                    expected = withFailedStep.Render();
                }
                Assert.True(expected == actual, $"N={n}: after a lasting {fault}, the reopened database holds\n{actual}\nexpected\n{acknowledged.Render()}\nor\n{withFailedStep?.Render()}");
            }
            runs++;
            if (device.FaultsInjected == 0)
            {
                break;
            }
        }
        output.WriteLine($"{fault}: {runs} runs");
        Assert.True(runs > 60, $"the workload performed only {runs - 1} storage operations");
    }
}
