using Rlsc.Core;
using Rlsc.Core.Hub;

namespace Rlsc.Runtime.Tests.Hub;

[TestFixture]
public class ModelResolverTests
{
    [Test]
    public void AnExistingFolderIsUsedAsIs()
    {
        string dir = Directory.CreateTempSubdirectory("rlsc-model-").FullName;
        try
        {
            Assert.That(ModelResolver.Resolve(dir, new HubOptions { Endpoint = "http://127.0.0.1:9" }), Is.EqualTo(dir));
        }
        finally
        {
            Directory.Delete(dir);
        }
    }

    [TestCase("./no/such/folder", "RLSC002")]
    [TestCase("/no/such/folder", "RLSC002")]
    [TestCase("a/b/c", "RLSC002")]
    [TestCase("not a repo", "RLSC076")]
    [TestCase("org/na--me", "RLSC076")]
    public void NeitherFolderNorRepoIdIsAClearError(string model, string code)
    {
        var error = Assert.Throws<RlscException>(() => ModelResolver.Resolve(model, new HubOptions { Endpoint = "http://127.0.0.1:9", Offline = true }))!;
        Assert.That(error.Code, Is.EqualTo(code));
        Assert.That(error.Message, Does.Contain(model));
    }

    [Test]
    public void AHubIdIsFetchedIntoTheCache()
    {
        using var hub = new FakeHub();
        var files = HubTestModel.Single(21);
        string commit = hub.AddCommit("Qwen/Tiny-Model", "main", files);
        string cache = Directory.CreateTempSubdirectory("rlsc-hubres-").FullName;
        try
        {
            string folder = ModelResolver.Resolve("Qwen/Tiny-Model", new HubOptions { Endpoint = hub.Endpoint, CacheDir = cache });
            Assert.That(folder, Is.EqualTo(Path.Combine(cache, "models--Qwen--Tiny-Model", "snapshots", commit)));
            Assert.That(File.ReadAllBytes(Path.Combine(folder, "model.safetensors")), Is.EqualTo(files["model.safetensors"]));
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    [Test]
    public void AMissingTwoPartPathIsTriedOnTheHubAndTheErrorSaysNoFolderExists()
    {
        using var hub = new FakeHub();
        string cache = Directory.CreateTempSubdirectory("rlsc-hubres-").FullName;
        try
        {
            var error = Assert.Throws<RlscException>(() => ModelResolver.Resolve("models/tiny", new HubOptions { Endpoint = hub.Endpoint, CacheDir = cache }))!;
            Assert.That(error.Code, Is.EqualTo(ErrorCodes.HubRepoNotFound));
            Assert.That(error.Message, Does.Contain("No folder").And.Contain(Path.Combine("models", "tiny")));
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    [TestCase("Qwen/Qwen2.5-Math-7B", true)]
    [TestCase("gpt2", true)]
    [TestCase("meta-llama/Llama-3.1-8B", true)]
    [TestCase("org/-bad", false)]
    [TestCase("org/bad.", false)]
    [TestCase("org/../x", false)]
    [TestCase("a/b/c", false)]
    public void RepoIdsFollowTheHubsRules(string id, bool valid)
    {
        Assert.That(RepoId.IsValid(id), Is.EqualTo(valid));
    }
}
