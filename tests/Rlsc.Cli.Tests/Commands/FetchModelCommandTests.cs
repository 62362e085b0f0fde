using Rlsc.Core;
using Rlsc.Core.Hub;
using Rlsc.Runtime.Tests.Hub;

namespace Rlsc.Cli.Tests.Commands;

[TestFixture]
[NonParallelizable]   // sets HF_* environment variables
public class FetchModelCommandTests
{
    FakeHub _hub = null!;
    string _cache = "";
    readonly Dictionary<string, string?> _saved = new();

    [SetUp]
    public void Start()
    {
        _hub = new FakeHub();
        _cache = Directory.CreateTempSubdirectory("rlsc-fetch-").FullName;
        foreach (string name in new[] { "HF_ENDPOINT", "HF_HUB_CACHE", "HF_HOME", "HF_TOKEN", "HF_HUB_OFFLINE" })
            _saved[name] = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable("HF_ENDPOINT", _hub.Endpoint);
        Environment.SetEnvironmentVariable("HF_HUB_CACHE", null);
        Environment.SetEnvironmentVariable("HF_HUB_OFFLINE", null);
        Environment.SetEnvironmentVariable("HF_TOKEN", null);
    }

    [TearDown]
    public void Stop()
    {
        foreach (var (name, value) in _saved) Environment.SetEnvironmentVariable(name, value);
        _hub.Dispose();
        Directory.Delete(_cache, recursive: true);
    }

    [Test]
    public void PrintsTheSnapshotFolderAndPlainProgressLines()
    {
        var files = HubTestModel.Sharded(31, customCode: true);
        string commit = _hub.AddCommit("org/model", "main", files);

        var (exit, output, error) = CliRunner.Run("fetch-model", "org/model", "--cache-dir", _cache);

        Assert.That(exit, Is.EqualTo(0), error);
        string folder = output.Trim();
        Assert.That(folder, Is.EqualTo(Path.Combine(_cache, "models--org--model", "snapshots", commit)));
        Assert.That(File.ReadAllBytes(Path.Combine(folder, "model-00002-of-00002.safetensors")), Is.EqualTo(files["model-00002-of-00002.safetensors"]));
        // stderr is redirected here, as in CI: plain lines, no carriage returns.
        Assert.That(error, Does.Contain("hub: downloading model-00001-of-00002.safetensors").And.Contain("done").And.Contain("warning: config.json asks for custom code"));
        Assert.That(error, Does.Not.Contain("\r"));
    }

    [Test]
    public void RevisionAndNoWeightsAreHonoured()
    {
        string old = _hub.AddCommit("org/model", "main", HubTestModel.Single(32));
        _hub.AddCommit("org/model", "main", HubTestModel.Single(33));

        var (exit, output, error) = CliRunner.Run("fetch-model", "org/model", "--revision", old, "--no-weights", "--cache-dir", _cache);

        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(Path.GetFileName(output.Trim()), Is.EqualTo(old));
        Assert.That(File.Exists(Path.Combine(output.Trim(), "model.safetensors")), Is.False);
        Assert.That(File.Exists(Path.Combine(output.Trim(), "tokenizer.json")), Is.True);
    }

    [Test]
    public void OfflineWithoutCacheIsRlsc072()
    {
        Environment.SetEnvironmentVariable("HF_HUB_OFFLINE", "1");
        var (exit, _, error) = CliRunner.Run("fetch-model", "org/model", "--cache-dir", _cache);
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.Contain("error RLSC072"));
    }

    [Test]
    public void ModelSourceTakesAFolderOrAHubId()
    {
        Environment.SetEnvironmentVariable("HF_HUB_CACHE", _cache);
        var files = HubTestModel.Single(34);
        string commit = _hub.AddCommit("org/model", "main", files);

        string fetched = ModelSource.Resolve("org/model");
        Assert.That(fetched, Is.EqualTo(Path.Combine(_cache, "models--org--model", "snapshots", commit)));
        Assert.That(ModelSource.Resolve(fetched), Is.EqualTo(fetched), "a folder is used as is");
        Assert.That(Assert.Throws<RlscException>(() => ModelSource.Resolve("org/model", "v7"))!.Code, Is.EqualTo(ErrorCodes.HubRepoNotFound));
    }

    [Test]
    public void TerminalProgressRedrawsOneLine()
    {
        var error = new StringWriter();
        var printer = new HubProgressPrinter(error, interactive: true);
        printer.Report(new HubProgress(HubProgressKind.FileStarted, "model.safetensors", 0, 4 << 20));
        printer.Report(new HubProgress(HubProgressKind.FileProgress, "model.safetensors", 2 << 20, 4 << 20));
        printer.Report(new HubProgress(HubProgressKind.FileDone, "model.safetensors", 4 << 20, 4 << 20));
        string text = error.ToString();
        Assert.That(text, Does.Contain("\rmodel.safetensors [###############...............] 2.0 MiB/4.0 MiB"));
        Assert.That(text, Does.EndWith("hub: model.safetensors done (4.0 MiB, verified)" + Environment.NewLine));
    }
}
