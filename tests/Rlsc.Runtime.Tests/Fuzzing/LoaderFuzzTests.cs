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
using Rlsc.Core.Gate;
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
/// Mutated versions of valid input files, each read by the loader the program uses: every outcome must be a value or
/// an RlscException (a clear error naming the file), never another exception or a hang. Bounded and seeded for CI;
/// see <see cref="FuzzSettings"/> to fuzz longer.
/// </summary>
[NonParallelizable]
public class LoaderFuzzTests
{
    string dir = "";

    [SetUp]
    public void MakeFolder() => dir = Directory.CreateTempSubdirectory("rlsc-fuzz-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(dir, recursive: true);

    static string Pick(Random r, IReadOnlyList<string> seeds) => seeds[r.Next(seeds.Count)];

    static IReadOnlyList<string> Committed(string folder, string pattern) =>
        Directory.GetFiles(RepositoryRoot.Combine(folder), pattern).Order(StringComparer.Ordinal).Select(File.ReadAllText).ToList();

    [Test]
    public void RunConfigurations()
    {
        var seeds = Committed("configs", "*.json");
        Assert.That(seeds, Is.Not.Empty);
        string[] paths = ["model", "output", "seed", "device", "sampling", "sampling.temperature", "sampling.top_k", "sampling.stop_strings",
            "training.steps", "training", "optimizer.warmup_steps", "optimizer.learning_rate", "loss.alpha", "lora", "lora.targets", "data",
            "data.limit", "evaluation", "evaluation.suites", "nope", "loss.nope.deeper"];
        FuzzRunner.Run("run configuration", c =>
        {
            var r = c.Random;
            string text = TextMutator.Mutate(Pick(r, seeds), r);
            var overrides = new List<ConfigOverride>();
            for (int i = r.Next(3); i > 0; i--)
                overrides.Add(ConfigOverride.Parse($"{paths[r.Next(paths.Length)]}={TextMutator.Mutate("1", r)}"));
            c.Input = text + "\n--- overrides ---\n" + string.Join("\n", overrides.Select(o => o.Origin));
            string file = Path.Combine(dir, "run.json");
            File.WriteAllText(file, text);
            if (r.Next(2) == 0)
            {
                var config = RunConfigJson.Load<FineTuneConfig>(file, overrides);
                RunConfigValidator.Validate(config, file);
            }
            else
            {
                RunConfigValidator.Validate(RunConfigJson.Load<SftConfig>(file, overrides), file);
            }
            return null;
        });
    }

    [Test]
    public void SuiteManifests()
    {
        var seeds = Committed("eval-suites", "*.json");
        FuzzRunner.Run("suite manifest", c =>
        {
            c.Input = TextMutator.Mutate(Pick(c.Random, seeds), c.Random);
            using var stream = new MemoryStream(TextMutator.Utf8(c.Input));
            SuiteManifest.Parse(stream, Path.Combine(dir, "gsm8k.json"), "gsm8k");
            return null;
        });
    }

    [Test]
    public void Thresholds()
    {
        var seeds = Directory.GetFiles(RepositoryRoot.Combine("eval-suites", "thresholds"), "*.json")
            .Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal).Select(File.ReadAllText).ToList();
        Assert.That(seeds, Is.Not.Empty);
        FuzzRunner.Run("thresholds", c =>
        {
            c.Input = TextMutator.Mutate(Pick(c.Random, seeds), c.Random);
            ThresholdsLoader.Parse(TextMutator.Utf8(c.Input), Path.Combine(dir, "m.json"));
            return null;
        });
    }

    [Test]
    public void PredictionFiles()
    {
        const string seed = """
            {"index": 0, "response": "The answer is \\boxed{4}."}
            {"index": 1, "responses": ["5", "6"], "token_counts": [3, 4]}
            {"suite": "arith", "index": 2, "response": "7", "token_count": 9}
            {"index": 3, "response": ""}
            {"index": 1, "responses": ["8"]}
            """;
        var sizes = new Dictionary<string, int> { ["arith"] = 4 };
        var twoSuites = new Dictionary<string, int> { ["arith"] = 4, ["gsm8k"] = 2 };
        FuzzRunner.Run("predictions", c =>
        {
            c.Input = TextMutator.Mutate(seed, c.Random);
            string file = Path.Combine(dir, "predictions.jsonl");
            File.WriteAllText(file, c.Input);
            PredictionsFile.Read(file, c.Random.Next(2) == 0 ? sizes : twoSuites);
            return null;
        });
    }

    // Two float32 tensors, 6 and 4 elements: 40 bytes of data.
    static readonly SafetensorsTensorInfo[] Tensors =
    [
        new("model.a.weight", "F32", [2, 3], 0, 24),
        new("model.b.bias", "F32", [4], 24, 40),
    ];

    static byte[] SafetensorsBytes(string header, Random r)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        ulong length = (ulong)json.Length;
        // Now and then a lying length prefix: past the end, short by a little, or wild.
        switch (r.Next(8))
        {
            case 0: length = (ulong)r.NextInt64(); break;
            case 1: length = (ulong)Math.Max(0, json.Length + r.Next(-8, 48)); break;
        }
        byte[] data = new byte[40 + (r.Next(6) == 0 ? r.Next(-40, 16) : 0)];
        r.NextBytes(data);
        var bytes = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, length);
        json.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + json.Length);
        return bytes;
    }

    [Test]
    public void SafetensorsHeaders()
    {
        string header = Encoding.UTF8.GetString(SafetensorsHeader.Serialize(new Dictionary<string, string> { ["format"] = "pt" }, Tensors))
            .Replace("{\"model.", "{\n\"model.").Replace("},\"", "},\n\"");  // a member per line, for the line mutations
        string valid = Path.Combine(dir, "valid.safetensors");
        WriteShard(valid, Tensors[0], 24);
        using (var seed = SafetensorsFile.Open(valid)) Assert.That(seed.Tensors, Has.Count.EqualTo(1));
        FuzzRunner.Run("safetensors header", c =>
        {
            c.Input = TextMutator.Mutate(header, c.Random);
            string file = Path.Combine(dir, "model.safetensors");
            File.WriteAllBytes(file, SafetensorsBytes(c.Input, c.Random));
            using var weights = SafetensorsFile.Open(file);
            foreach (var tensor in weights.Tensors)
                using (weights.Read(tensor.Name)) { }
            return null;
        });
    }

    [Test]
    public void SafetensorsIndexFiles()
    {
        string shard1 = Path.Combine(dir, "model-00001-of-00002.safetensors"), shard2 = Path.Combine(dir, "model-00002-of-00002.safetensors");
        WriteShard(shard1, new SafetensorsTensorInfo("model.a.weight", "F32", [2, 3], 0, 24), 24);
        WriteShard(shard2, new SafetensorsTensorInfo("model.b.bias", "F32", [4], 0, 16), 16);
        const string index = """
            {
              "metadata": {
                "total_size": 40
              },
              "weight_map": {
                "model.a.weight": "model-00001-of-00002.safetensors",
                "model.b.bias": "model-00002-of-00002.safetensors"
              }
            }
            """;
        File.WriteAllText(Path.Combine(dir, SafetensorsIndex.FileName), index);
        using (var valid = CheckpointFiles.Open(dir)) Assert.That(valid.TensorNames.Count(), Is.EqualTo(2));
        FuzzRunner.Run("safetensors index", c =>
        {
            c.Input = TextMutator.Mutate(index, c.Random);
            File.WriteAllText(Path.Combine(dir, SafetensorsIndex.FileName), c.Input);
            using var files = CheckpointFiles.Open(dir);
            // Opening may only ever read files of this folder, whatever the index names.
            foreach (var f in files.Files)
                if (Path.GetDirectoryName(Path.GetFullPath(f.Path)) != Path.GetFullPath(dir))
                    return $"the index made the loader open {f.Path}, outside the checkpoint folder";
            return null;
        });
    }

    static void WriteShard(string path, SafetensorsTensorInfo tensor, int bytes)
    {
        byte[] header = SafetensorsHeader.Serialize(new Dictionary<string, string>(), [tensor]);
        var file = new byte[8 + header.Length + bytes];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        File.WriteAllBytes(path, file);
    }
}
