namespace Rlsc.Tasks.Tests;

/// <summary>
/// MSBuild reuses its nodes and LibTorch can never be unloaded, so the task assembly must not be able to load
/// TorchSharp: the work runs out of process in rlsc (docs/architecture.md). Checked on the built assembly.
/// </summary>
public class TorchBoundaryTests
{
    [Test]
    public void Rlsc_Tasks_references_neither_TorchSharp_nor_the_runtime()
    {
        var references = typeof(RlscToolTask).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.That(references, Has.None.StartsWith("TorchSharp"), string.Join(", ", references));
        Assert.That(references, Has.None.EqualTo("Rlsc.Runtime"));
        Assert.That(references, Has.Some.StartsWith("Microsoft.Build"), "the check reads real references");
    }
}
