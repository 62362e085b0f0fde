using Rlsc.Core;
using System.Buffers.Binary;
using System.Text;
using Rlsc.Core.Evaluation.Answers;
using Rlsc.Core.Evaluation.Expressions;
using Rlsc.Core.Evaluation.Grading;
using Rlsc.Core.Evaluation.Metrics;
using Rlsc.Core.Evaluation.Reports;
using Rlsc.Core.Evaluation.Runner;
using Rlsc.Core.Evaluation.Suites;
using Rlsc.Runtime.Evaluation;
using Rlsc.Runtime.Model.Checkpoints;
using Rlsc.Runtime.Model.Safetensors;
using Rlsc.Core.Config;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Policy;
using Rlsc.Runtime.Training.Rlsc;
using Rlsc.Runtime.Training.Sft;

namespace Rlsc.Runtime.Tests.Fuzzing;

/// <summary>
/// What the fuzzers found, one deterministic case each: before the fixes these threw InvalidOperationException or
/// ArgumentException instead of a clear error naming the file.
/// </summary>
public class FuzzFindingsTests
{
    string dir = "";

    [SetUp]
    public void MakeFolder() => dir = Directory.CreateTempSubdirectory("rlsc-fuzzfound-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(dir, recursive: true);

    string Write(string name, string text)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Test]
    public void ASafetensorsHeaderWithAnUnpairedSurrogateIsCorrupt()
    {
        byte[] header = Encoding.UTF8.GetBytes("{\"model.a\":{\"\\ud800\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}");
        var bytes = new byte[8 + header.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        string path = Path.Combine(dir, "model.safetensors");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<RlscException>(() => SafetensorsFile.Open(path).Dispose())!;
        Assert.That((e.Code, e.File), Is.EqualTo((ErrorCodes.CheckpointCorrupt, path)));
        Assert.That(e.Message, Does.Contain("not valid Unicode"));
    }

    [Test]
    public void AnIndexNamingATensorTwiceOrHoldingASurrogateIsCorruptAndAnOddMetadataIsIgnored()
    {
        string twice = Write("twice.json", "{\"weight_map\": {\"a\": \"s1.safetensors\", \"a\": \"s2.safetensors\"}}");
        var e = Assert.Throws<RlscException>(() => SafetensorsIndex.Load(twice))!;
        Assert.That((e.Code, e.File), Is.EqualTo((ErrorCodes.CheckpointCorrupt, twice)));

        string surrogate = Write("surrogate.json", "{\"weight_map\": {\"\\ud800\": \"s1.safetensors\"}}");
        Assert.That(Assert.Throws<RlscException>(() => SafetensorsIndex.Load(surrogate))!.Code, Is.EqualTo(ErrorCodes.CheckpointCorrupt));

        // total_size is informational: metadata of another shape was an InvalidOperationException, now it is unknown (-1).
        string array = Write("array.json", "{\"metadata\": [1], \"weight_map\": {\"a\": \"s1.safetensors\"}}");
        Assert.That(SafetensorsIndex.Load(array).TotalSize, Is.EqualTo(-1));
    }

    [Test]
    public void ARunConfigurationWithADuplicateKeyNamesTheLine()
    {
        string file = Write("run.json", "{\n  \"output\": \"a\",\n  \"output\": \"b\"\n}\n");
        var e = Assert.Throws<RlscException>(() => RunConfigJson.Load<FineTuneConfig>(file, [ConfigOverride.Parse("output=c")]))!;
        Assert.That((e.Code, e.File, e.Line), Is.EqualTo((ErrorCodes.InvalidArgument, file, 3)));
        Assert.That(e.Message, Does.Contain("output"));
    }

    [Test]
    public void ARunConfigurationWithAnUnpairedSurrogateIsMalformed()
    {
        string file = Write("run.json", "{\n  \"\\ud800\": 1\n}\n");
        var e = Assert.Throws<RlscException>(() => RunConfigJson.Load<FineTuneConfig>(file, []))!;
        Assert.That((e.Code, e.File), Is.EqualTo((ErrorCodes.MalformedData, file)));
        string value = Write("value.json", "{\n  \"model\": \"\\udc00\"\n}\n");
        Assert.That(Assert.Throws<RlscException>(() => RunConfigJson.Load<FineTuneConfig>(value, []))!.File, Is.EqualTo(value));
    }

    [Test]
    public void APredictionWithAnUnpairedSurrogateNamesItsLine()
    {
        string file = Write("p.jsonl", "{\"index\": 0, \"response\": \"1\"}\n{\"index\": 1, \"responses\": [\"\\ud800\"]}\n");
        var e = Assert.Throws<RlscException>(() => PredictionsFile.Read(file, new Dictionary<string, int> { ["arith"] = 2 }))!;
        Assert.That((e.Code, e.File, e.Line), Is.EqualTo((ErrorCodes.PredictionsInvalid, file, 2)));
    }
}
