using System.IO.Compression;
using System.Xml.Linq;
using Rlsc.Tasks.Tests.Infrastructure;

namespace Rlsc.Tasks.Tests;

/// <summary>The Rlsc.Tasks package: layout, and the sample consuming it from a local package folder.</summary>
public class PackageTests
{
    [Test]
    public void The_package_carries_the_task_assembly_and_Rlsc_Core_under_tasks_and_the_props_and_targets_under_build()
    {
        var entries = PackedSample.PackageEntries();
        Assert.That(entries, Does.Contain("tasks/net10.0/Rlsc.Tasks.dll"));
        // The error codes (and the run configuration) come from Rlsc.Core, which has no package of its own.
        Assert.That(entries, Does.Contain("tasks/net10.0/Rlsc.Core.dll"));
        Assert.That(entries, Does.Contain("build/Rlsc.Tasks.props").And.Contain("build/Rlsc.Tasks.targets"));
        Assert.That(entries, Has.None.StartsWith("lib/"), "a task package must not put its assembly in lib/: consumers would compile against it");
        Assert.That(entries, Has.None.Contains("TorchSharp").And.None.Contains("libtorch"), "the tasks never carry the model runtime");

        using var zip = ZipFile.OpenRead(PackedSample.PackagePath);
        using var nuspec = zip.GetEntry("Rlsc.Tasks.nuspec")!.Open();
        var metadata = XDocument.Load(nuspec).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        Assert.That(metadata.Elements().Single(e => e.Name.LocalName == "developmentDependency").Value, Is.EqualTo("true"));
        Assert.That(metadata.Elements().Where(e => e.Name.LocalName == "dependencies").SelectMany(d => d.Descendants()).Where(e => e.Name.LocalName == "dependency"), Is.Empty);
    }

    [Test]
    public void The_sample_builds_with_the_package_and_a_second_build_skips_the_fine_tune()
    {
        string sample = PackedSample.CopySample();
        string log = Path.Combine(sample, "fake-rlsc.log");
        Directory.CreateDirectory(Path.Combine(sample, "base"));
        File.WriteAllText(Path.Combine(sample, "base", "config.json"), "{}");
        var environment = new Dictionary<string, string?> { ["FAKE_RLSC_LOG"] = log };
        string[] properties = { "RlscToolPath=" + TestPaths.FakeTool, "RlscModel=base" };

        var first = PackedSample.Build(sample, environment, properties);
        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());
        var commands = File.ReadAllLines(log).Where((line, i) => i == 0 || File.ReadAllLines(log)[i - 1] == "--end--").ToList();
        Assert.That(commands, Is.EqualTo(new[] { "finetune", "eval", "eval", "report", "gate" }));

        File.Delete(log);
        var second = PackedSample.Build(sample, environment, properties);
        Assert.That(second.ExitCode, Is.EqualTo(0), second.ToString());
        Assert.That(second.Output, Does.Contain("RlscFineTune: skipped"));
        Assert.That(File.ReadAllLines(log).Where((line, i) => i == 0 || File.ReadAllLines(log)[i - 1] == "--end--"), Is.EqualTo(new[] { "report", "gate" }));
        Directory.Delete(sample, recursive: true);
    }

    [Test]
    public void The_packaged_tasks_load_Rlsc_Core_to_read_the_runs_base_model()
    {
        // Without RlscModel, RlscGetRunModel (which needs Rlsc.Core.dll from the package's tasks folder) names the base.
        string sample = PackedSample.CopySample();
        string log = Path.Combine(sample, "fake-rlsc.log");
        Directory.CreateDirectory(Path.Combine(sample, "base"));
        File.WriteAllText(Path.Combine(sample, "run.json"), "{ \"schema\": \"rlsc.finetune/v1\", \"model\": \"base\" }");
        var environment = new Dictionary<string, string?> { ["FAKE_RLSC_LOG"] = log };

        var result = PackedSample.Build(sample, "RlscEvaluate", environment, "RlscToolPath=" + TestPaths.FakeTool, "RlscModel=");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        // The fake rlsc logs one argument a line: the base evaluation's model is the sample's base folder.
        Assert.That(File.ReadAllLines(log), Does.Contain(Path.Combine(sample, "base") + Path.DirectorySeparatorChar), result.ToString());
        Directory.Delete(sample, recursive: true);
    }
}
