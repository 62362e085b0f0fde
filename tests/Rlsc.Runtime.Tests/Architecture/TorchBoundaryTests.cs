using System.CodeDom.Compiler;
using System.Reflection;
using System.Runtime.CompilerServices;
using Rlsc.Core;
using Rlsc.Runtime.Model;

namespace Rlsc.Runtime.Tests.Architecture;

/// <summary>
/// The torch boundary of docs/architecture.md, checked on the built assemblies rather than on project files, so
/// that no route (a package, a project reference, a copied file) can bring TorchSharp into Rlsc.Core: rlsc grade,
/// gate, report and eval --predictions and the MSBuild tasks rely on never loading LibTorch.
/// </summary>
public class TorchBoundaryTests
{
    static readonly Assembly Core = typeof(ErrorCodes).Assembly;
    static readonly Assembly Runtime = typeof(CausalLM).Assembly;

    /// <summary>The assemblies <paramref name="root"/> references, directly or through other Rlsc assemblies.</summary>
    static IReadOnlyList<string> ReferenceClosure(Assembly root)
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>([root]);
        while (pending.Count > 0)
        {
            foreach (var name in pending.Pop().GetReferencedAssemblies())
            {
                if (!seen.Add(name.Name!)) continue;
                // Only our own assemblies are followed: the framework's references are the framework's.
                if (name.Name!.StartsWith("Rlsc", StringComparison.Ordinal)) pending.Push(Assembly.Load(name));
            }
        }
        return [.. seen];
    }

    /// <summary>Namespaces of the types written in the project's source (not those the compiler or the regex generator add).</summary>
    static IEnumerable<string> SourceNamespaces(Assembly assembly) => assembly.GetTypes()
        .Where(t => t.DeclaringType is null && t.Namespace is not null)
        .Where(t => !t.IsDefined(typeof(CompilerGeneratedAttribute)) && !t.IsDefined(typeof(GeneratedCodeAttribute)))
        .Select(t => t.Namespace!).Distinct();

    [Test]
    public void Rlsc_Core_references_no_TorchSharp_and_not_the_runtime()
    {
        var closure = ReferenceClosure(Core);
        Assert.That(closure, Has.None.StartsWith("TorchSharp"), string.Join(", ", closure));
        Assert.That(closure, Has.None.EqualTo("Rlsc.Runtime"));
    }

    [Test]
    public void Rlsc_Runtime_is_the_side_that_references_TorchSharp()
    {
        // The check above would pass vacuously if assembly references could not show TorchSharp at all.
        Assert.That(ReferenceClosure(Runtime), Has.Some.StartsWith("TorchSharp"));
        Assert.That(ReferenceClosure(Runtime), Has.Some.EqualTo("Rlsc.Core"));
    }

    [Test]
    public void Each_assembly_holds_only_its_own_namespaces()
    {
        Assert.That(SourceNamespaces(Core), Has.All.StartsWith("Rlsc.Core"));
        Assert.That(SourceNamespaces(Runtime), Has.All.StartsWith("Rlsc.Runtime").Or.StartsWith("Rlsc.NativeFix"));
    }
}
