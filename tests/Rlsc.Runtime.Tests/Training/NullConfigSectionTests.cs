using Rlsc.Core;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rlsc.Core.Config;
using Rlsc.Core.IO;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Policy;
using Rlsc.Runtime.Training.Rlsc;
using Rlsc.Runtime.Training.Sft;

namespace Rlsc.Runtime.Tests.Training;

/// <summary>
/// A section or a list set to null (`"evaluation": null`, `--set sampling=null`) is refused with the option's name,
/// for every section and list of both configurations: before, it reached the trainer as a NullReferenceException.
/// </summary>
public class NullConfigSectionTests
{
    string dir = "";

    [SetUp]
    public void MakeFolder() => dir = Directory.CreateTempSubdirectory("rlsc-nullcfg-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(dir, recursive: true);

    /// <summary>Every dotted path whose default is an object or a list, e.g. "evaluation", "lora.targets".</summary>
    static IEnumerable<string> SectionsAndLists<T>() where T : new()
    {
        var defaults = (JsonObject)JsonSerializer.SerializeToNode(new T(), RlscJson.Edited)!;
        return Walk(defaults, "");

        static IEnumerable<string> Walk(JsonObject node, string prefix)
        {
            foreach (var (key, value) in node)
            {
                string path = prefix.Length == 0 ? key : prefix + "." + key;
                if (value is JsonArray) yield return path;
                if (value is JsonObject child)
                {
                    yield return path;
                    foreach (string inner in Walk(child, path)) yield return inner;
                }
            }
        }
    }

    [Test]
    public void TheSectionsNamedInTheIssueAreAmongThoseChecked()
    {
        Assert.That(SectionsAndLists<FineTuneConfig>(), Is.SupersetOf(new[] { "evaluation", "sampling", "training", "data", "lora", "lora.targets" }));
        Assert.That(SectionsAndLists<SftConfig>(), Is.SupersetOf(new[] { "training", "data", "lora" }));
    }

    [Test]
    public void ANullSectionOrListOnTheCommandLineNamesTheFlagAndTheOption()
    {
        foreach (string path in SectionsAndLists<FineTuneConfig>())
            Expect(() => RunConfigJson.Load<FineTuneConfig>(null, [ConfigOverride.Parse(path + "=null")]), path, $"--set {path}=null", null, null);
        foreach (string path in SectionsAndLists<SftConfig>())
            Expect(() => RunConfigJson.Load<SftConfig>(null, [ConfigOverride.Parse(path + "=null")]), path, $"--set {path}=null", null, null);
    }

    [Test]
    public void ANullSectionOrListInAFileNamesTheFileLineAndOption()
    {
        foreach (string path in SectionsAndLists<FineTuneConfig>())
        {
            string file = WriteNullAt(path);
            Expect(() => RunConfigJson.Load<FineTuneConfig>(file, []), path, "", file, path.Count(c => c == '.') + 2);
        }
    }

    [Test]
    public void NullPlainValuesStayAllowedWhereTheyMeanSomething()
    {
        // data.limit = null means "all questions"; model = null is left to the validator, which names it.
        var c = RunConfigJson.Load<FineTuneConfig>(null, [ConfigOverride.Parse("data.limit=null")]);
        Assert.That(c.Data.Limit, Is.Null);
        var noModel = RunConfigJson.Load<FineTuneConfig>(null, [ConfigOverride.Parse("model=null")]);
        var e = Assert.Throws<RlscException>(() => RunConfigValidator.Validate(noModel))!;
        Assert.That(e.Message, Does.Contain("model is not set"));
    }

    /// <summary>A file with one key per line down to <paramref name="path"/>, which is null.</summary>
    string WriteNullAt(string path)
    {
        string[] keys = path.Split('.');
        var text = new System.Text.StringBuilder("{\n");
        for (int i = 0; i < keys.Length; i++)
            text.Append($"\"{keys[i]}\": ").Append(i == keys.Length - 1 ? "null\n" : "{\n");
        for (int i = 0; i < keys.Length; i++) text.Append("}\n");
        string file = Path.Combine(dir, path + ".json");
        File.WriteAllText(file, text.ToString());
        return file;
    }

    static void Expect(TestDelegate load, string path, string origin, string? file, int? line)
    {
        var e = Assert.Throws<RlscException>(load, path)!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Code, Is.EqualTo(ErrorCodes.InvalidArgument), path);
            Assert.That(e.Message, Does.Contain($"'{path}'").And.Contain(origin).And.Contain("expected"), path);
            Assert.That(e.File, Is.EqualTo(file), path);
            Assert.That(e.Line, Is.EqualTo(line), path);
        });
    }
}
