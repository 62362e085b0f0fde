using System.Reflection;

namespace Rlsc.Tasks.Tests;

/// <summary>
/// MSBuild reuses its nodes and LibTorch can never be unloaded, so the task assembly must not be able to load
/// TorchSharp: the work runs out of process in rlsc (docs/architecture.md). Checked on the built assemblies, with
/// the Rlsc assemblies the tasks reference (Rlsc.Core), since the package carries those into the MSBuild node too.
/// </summary>
public class TorchBoundaryTests
{
    /// <summary>The assemblies the task assembly references, directly or through our own (Rlsc.*) assemblies.</summary>
    static IReadOnlyList<string> ReferenceClosure()
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>([typeof(RlscToolTask).Assembly]);
        while (pending.Count > 0)
            foreach (var name in pending.Pop().GetReferencedAssemblies())
                if (seen.Add(name.Name!) && name.Name!.StartsWith("Rlsc", StringComparison.Ordinal)) pending.Push(Assembly.Load(name));
        return [.. seen];
    }

    [Test]
    public void Rlsc_Tasks_references_neither_TorchSharp_nor_the_runtime()
    {
        var references = ReferenceClosure();
        Assert.That(references, Has.None.StartsWith("TorchSharp"), string.Join(", ", references));
        Assert.That(references, Has.None.EqualTo("Rlsc.Runtime"));
        Assert.That(references, Has.Some.StartsWith("Microsoft.Build"), "the check reads real references");
        Assert.That(references, Has.Some.EqualTo("Rlsc.Core"), "the check follows our own assemblies");
    }

    [Test]
    public void Rlsc_Tasks_loads_only_the_framework_MSBuild_and_Rlsc_Core()
    {
        // Anything else would have to travel in the package and load into every MSBuild node that runs a task.
        var references = ReferenceClosure();
        Assert.That(references.Where(r => !r.StartsWith("System", StringComparison.Ordinal) && r != "netstandard" && r != "Microsoft.Win32.Primitives"),
            Is.SubsetOf(new[] { "Microsoft.Build.Framework", "Microsoft.Build.Utilities.Core", "Rlsc.Core" }), string.Join(", ", references));
    }
}
