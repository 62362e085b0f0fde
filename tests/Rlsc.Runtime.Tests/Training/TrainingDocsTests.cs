using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Rlsc.Core.Config;
using Rlsc.Core.IO;

namespace Rlsc.Runtime.Tests.Training;

/// <summary>docs/training.md lists every configuration option with its real default, so the two cannot drift apart.</summary>
public partial class TrainingDocsTests
{
    static string Docs() => File.ReadAllText(RepositoryRoot.Combine("docs", "training.md"));

    /// <summary>The option rows (| `path` | `default` | ...) of the table under a heading.</summary>
    static Dictionary<string, string> Table(string docs, string heading)
    {
        int start = docs.IndexOf(heading, StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), heading);
        int end = docs.IndexOf("\n#", start + heading.Length, StringComparison.Ordinal);
        return Row().Matches(docs[start..(end < 0 ? docs.Length : end)]).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
    }

    static Dictionary<string, JsonNode?> Defaults<T>() where T : new()
    {
        var result = new Dictionary<string, JsonNode?>();
        void Walk(JsonNode? node, string path)
        {
            if (node is JsonObject o) foreach (var (k, v) in o) Walk(v, path.Length == 0 ? k : path + "." + k);
            else result[path] = node;
        }
        Walk(System.Text.Json.JsonSerializer.SerializeToNode(new T(), RlscJson.Edited), "");
        return result;
    }

    static void AssertSameDefault(string path, JsonNode? actual, string documented)
    {
        var doc = JsonNode.Parse(documented);
        if (actual is JsonValue v && v.TryGetValue(out double number))
            Assert.That(doc!.GetValue<double>(), Is.EqualTo(number), path);
        else
            Assert.That(JsonNode.DeepEquals(doc, actual), Is.True, $"{path}: documented {documented}, actual {actual?.ToJsonString() ?? "null"}");
    }

    [Test]
    public void EveryFinetuneOptionIsDocumentedWithItsDefault()
    {
        var table = Table(Docs(), "### `rlsc finetune` options");
        var defaults = Defaults<FineTuneConfig>();
        Assert.That(table.Keys, Is.EquivalentTo(defaults.Keys));
        foreach (var (path, value) in defaults) AssertSameDefault(path, value, table[path]);
    }

    [Test]
    public void EverySftOptionIsDocumentedWithItsDefault()
    {
        string docs = Docs();
        var sft = Table(docs, "### `rlsc sft` options");
        var shared = Table(docs, "### `rlsc finetune` options");
        foreach (var (path, value) in Defaults<SftConfig>())
        {
            bool inherited = path is "seed" or "device" or "dtype" || path.StartsWith("optimizer.") || path.StartsWith("lora.");
            Assert.That(sft.ContainsKey(path) || (inherited && shared.ContainsKey(path)), Is.True, $"{path} is not documented");
            AssertSameDefault(path, value, sft.TryGetValue(path, out var own) ? own : shared[path]);
        }
    }

    [GeneratedRegex(@"^\| `([a-z_.0-9]+)` \| `([^`]*)` \|", RegexOptions.Multiline)]
    private static partial Regex Row();
}
