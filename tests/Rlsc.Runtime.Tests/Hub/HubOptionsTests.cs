using Rlsc.Core.Hub;

namespace Rlsc.Runtime.Tests.Hub;

[TestFixture]
public class HubOptionsTests
{
    static Func<string, string?> Env(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;

    [Test]
    public void ReadsTheVariablesHuggingFaceHubReads()
    {
        var options = HubOptions.FromEnvironment(Env(("HF_ENDPOINT", "http://mirror.local/"), ("HF_TOKEN", "hf_abc"),
            ("HF_HOME", "/data/hf"), ("HF_HUB_OFFLINE", "1")));
        Assert.Multiple(() =>
        {
            Assert.That(options.Endpoint, Is.EqualTo("http://mirror.local"));
            Assert.That(options.Token, Is.EqualTo("hf_abc"));
            Assert.That(options.CacheDir, Is.EqualTo(Path.GetFullPath("/data/hf/hub")));
            Assert.That(options.Offline, Is.True);
            Assert.That(options.Revision, Is.EqualTo("main"));
            Assert.That(options.ToString(), Does.Not.Contain("hf_abc").And.Contain("token set"));
        });
    }

    [Test]
    public void HubCacheWinsOverHomeAndDefaultsFollowXdg()
    {
        Assert.That(HubOptions.FromEnvironment(Env(("HF_HUB_CACHE", "/c/hub"), ("HF_HOME", "/data/hf"))).CacheDir, Is.EqualTo(Path.GetFullPath("/c/hub")));
        Assert.That(HubOptions.FromEnvironment(Env(("XDG_CACHE_HOME", "/xdg"))).CacheDir, Is.EqualTo(Path.GetFullPath("/xdg/huggingface/hub")));
        var defaults = HubOptions.FromEnvironment(Env());
        Assert.That(defaults.Endpoint, Is.EqualTo("https://huggingface.co"));
        Assert.That(defaults.Token, Is.Null);
        Assert.That(defaults.Offline, Is.False);
        Assert.That(HubOptions.FromEnvironment(Env(("HUGGING_FACE_HUB_TOKEN", "hf_old"))).Token, Is.EqualTo("hf_old"));
    }
}
