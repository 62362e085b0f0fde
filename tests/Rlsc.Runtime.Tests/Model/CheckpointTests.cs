using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;
using Rlsc.Core;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Model.Checkpoints;
using Rlsc.Runtime.Model.Modules;
using Rlsc.Runtime.Model.Safetensors;

namespace Rlsc.Runtime.Tests.Model;

public class CheckpointTests
{
    string dir = "";

    [SetUp]
    public void SetUp() => dir = Directory.CreateTempSubdirectory("rlsc-ckpt-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(dir, recursive: true);

    static Dictionary<string, byte[]> Bytes(Qwen2ForCausalLM module) =>
        module.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().contiguous().bytes.ToArray());

    static Qwen2ForCausalLM LoadInto(ModelConfig config, string folder, ScalarType dtype)
    {
        var module = new Qwen2ForCausalLM(config, CPU, dtype);
        using var files = CheckpointFiles.Open(folder);
        CheckpointLoader.Load(module, files);
        return module;
    }

    [TestCase(ScalarType.Float32, false)]
    [TestCase(ScalarType.BFloat16, true)]
    [TestCase(ScalarType.Float16, false)]
    public void SavedCheckpointsLoadBackBitForBit(ScalarType dtype, bool tied)
    {
        var config = TinyModels.Config(tied: tied);
        using var module = TinyModels.Create(config, seed: 1, dtype);
        string folder = Path.Combine(dir, "ckpt");
        CheckpointWriter.Save(module, folder);

        Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName).Order(),
            Is.EqualTo(new[] { "config.json", "generation_config.json", "model.safetensors" }));
        var saved = ModelConfig.Load(Path.Combine(folder, "config.json"));
        Assert.That(saved.TorchDtype, Is.EqualTo(SafetensorsDType.TorchDtypeName(dtype)));
        using var loaded = LoadInto(saved, folder, dtype);
        Assert.That(Bytes(loaded), Is.EqualTo(Bytes(module)));
        using var file = SafetensorsFile.Open(Path.Combine(folder, "model.safetensors"));
        Assert.That(file.Contains("lm_head.weight"), Is.EqualTo(!tied), "a tied head is stored once, as the embedding");
    }

    [Test]
    public void ShardsAboveTheLimitWithHfIndex()
    {
        var config = TinyModels.Config(vocab: 64, hidden: 32, intermediate: 48, layers: 3);
        using var module = TinyModels.Create(config, seed: 2);
        string folder = Path.Combine(dir, "sharded");
        CheckpointWriter.Save(module, folder, new CheckpointWriteOptions { MaxShardBytes = 20_000 });

        var shards = Directory.GetFiles(folder, "model-*.safetensors").Select(f => Path.GetFileName(f)).Order().ToList();
        Assert.That(shards, Has.Count.GreaterThan(2));
        Assert.That(shards, Is.EqualTo(Enumerable.Range(1, shards.Count).Select(i => $"model-{i:D5}-of-{shards.Count:D5}.safetensors")));
        Assert.That(File.Exists(Path.Combine(folder, "model.safetensors")), Is.False);

        string indexText = File.ReadAllText(Path.Combine(folder, "model.safetensors.index.json"));
        var index = JsonNode.Parse(indexText)!.AsObject();
        Assert.That(index.Select(p => p.Key), Is.EqualTo(new[] { "metadata", "weight_map" }));
        long totalBytes = module.parameters().Sum(p => p.numel() * 4);
        Assert.That(index["metadata"]!["total_size"]!.GetValue<long>(), Is.EqualTo(totalBytes));
        var map = index["weight_map"]!.AsObject();
        Assert.That(map.Select(p => p.Key), Is.EqualTo(module.named_parameters().Select(p => p.name).Order(StringComparer.Ordinal)));
        Assert.That(indexText, Does.StartWith("{\n  \"metadata\": {\n    \"total_size\": ").And.EndWith("}\n"));
        foreach (var shard in shards)
        {
            using var file = SafetensorsFile.Open(Path.Combine(folder, shard));
            Assert.That(file.Tensors.Select(t => t.Name), Is.EquivalentTo(map.Where(p => p.Value!.GetValue<string>() == shard).Select(p => p.Key)));
            long bytes = file.Tensors.Sum(t => t.ByteLength);
            Assert.That(bytes <= 20_000 || file.Tensors.Count == 1, $"{shard} holds {bytes} bytes in {file.Tensors.Count} tensors");
        }

        using var loaded = LoadInto(config, folder, ScalarType.Float32);
        Assert.That(Bytes(loaded), Is.EqualTo(Bytes(module)));
    }

    // Writes a checkpoint folder whose weights are `module`'s, edited by `edit`.
    string WriteEdited(Qwen2ForCausalLM module, Action<List<(string Name, Tensor Tensor)>> edit)
    {
        string folder = Path.Combine(dir, "edited");
        Directory.CreateDirectory(folder);
        var tensors = module.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).ToList();
        edit(tensors);
        SafetensorsWriter.Write(Path.Combine(folder, "model.safetensors"), tensors);
        module.Config.Save(Path.Combine(folder, "config.json"));
        return folder;
    }

    [Test]
    public void AMissingTensorIsNamed()
    {
        using var module = TinyModels.Create(TinyModels.Config(), seed: 3);
        string folder = WriteEdited(module, t => t.RemoveAll(x => x.Name == "model.layers.1.mlp.up_proj.weight"));
        var e = Assert.Throws<RlscException>(() => LoadInto(module.Config, folder, ScalarType.Float32))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.CheckpointMismatch));
        Assert.That(e.Message, Does.Contain("'model.layers.1.mlp.up_proj.weight'"));
        Assert.That(e.File, Is.EqualTo(folder));
    }

    [Test]
    public void AnUnexpectedTensorIsNamedWithItsFile()
    {
        using var module = TinyModels.Create(TinyModels.Config(), seed: 3);
        string folder = WriteEdited(module, t => t.Add(("model.layers.9.mlp.up_proj.weight", ones(2, 2))));
        var e = Assert.Throws<RlscException>(() => LoadInto(module.Config, folder, ScalarType.Float32))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.CheckpointMismatch));
        Assert.That(e.Message, Does.Contain("unexpected tensor 'model.layers.9.mlp.up_proj.weight'"));
        Assert.That(e.File, Is.EqualTo(Path.Combine(folder, "model.safetensors")));
    }

    [Test]
    public void AWrongShapeIsNamed()
    {
        using var module = TinyModels.Create(TinyModels.Config(), seed: 3);
        string folder = WriteEdited(module, t =>
        {
            int i = t.FindIndex(x => x.Name == "model.norm.weight");
            t[i] = (t[i].Name, ones(17));
        });
        var e = Assert.Throws<RlscException>(() => LoadInto(module.Config, folder, ScalarType.Float32))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.CheckpointMismatch));
        Assert.That(e.Message, Does.Contain("'model.norm.weight'").And.Contain("[17]").And.Contain("[16]"));
    }

    [Test]
    public void TiedCheckpointsMayCarryTheHeadAndOldRotaryBuffers()
    {
        var config = TinyModels.Config(tied: true);
        using var module = TinyModels.Create(config, seed: 4);
        string folder = WriteEdited(module, t =>
        {
            t.Add(("lm_head.weight", t.Single(x => x.Name == "model.embed_tokens.weight").Tensor));
            t.Add(("model.layers.0.self_attn.rotary_emb.inv_freq", ones(2)));
        });
        using var loaded = LoadInto(config, folder, ScalarType.Float32);
        Assert.That(Bytes(loaded), Is.EqualTo(Bytes(module)));
    }

    [Test]
    public void PickleCheckpointsAreRefusedWithTheReason()
    {
        File.WriteAllText(Path.Combine(dir, "config.json"), "{}");
        File.WriteAllBytes(Path.Combine(dir, "pytorch_model.bin"), [0x80, 0x02]);
        var e = Assert.Throws<RlscException>(() => CheckpointFiles.Open(dir))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.CheckpointUnsupported));
        Assert.That(e.Message, Does.Contain("pytorch_model.bin").And.Contain("arbitrary code").And.Contain("safe_serialization"));
    }

    [Test]
    public void AnIndexNamingAMissingShardOrTensorIsCorrupt()
    {
        using var module = TinyModels.Create(TinyModels.Config(), seed: 5);
        string folder = Path.Combine(dir, "sharded");
        CheckpointWriter.Save(module, folder, new CheckpointWriteOptions { MaxShardBytes = 4_000 });
        string indexPath = Path.Combine(folder, SafetensorsIndex.FileName);
        var index = JsonNode.Parse(File.ReadAllText(indexPath))!.AsObject();
        string firstShard = index["weight_map"]!["model.norm.weight"]!.GetValue<string>();

        index["weight_map"]!["model.norm.weight"] = "model-00099-of-00099.safetensors";
        File.WriteAllText(indexPath, index.ToJsonString());
        var e = Assert.Throws<RlscException>(() => CheckpointFiles.Open(folder))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.CheckpointCorrupt));
        Assert.That(e.Message, Does.Contain("model-00099-of-00099.safetensors").And.Contain("missing"));

        string other = Directory.GetFiles(folder, "model-0*.safetensors").Select(Path.GetFileName).First(s => s != firstShard)!;
        index["weight_map"]!["model.norm.weight"] = other;
        File.WriteAllText(indexPath, index.ToJsonString());
        e = Assert.Throws<RlscException>(() => CheckpointFiles.Open(folder))!;
        Assert.That(e.Message, Does.Contain("'model.norm.weight'").And.Contain(other));
    }

    [Test]
    public void SavingReplacesAnOldCheckpointAndLeavesNoTemporaryFolder()
    {
        string folder = Path.Combine(dir, "ckpt");
        using (var first = TinyModels.Create(TinyModels.Config(), seed: 6))
            CheckpointWriter.Save(first, folder);
        using var second = TinyModels.Create(TinyModels.Config(), seed: 7);
        CheckpointWriter.Save(second, folder);
        using var loaded = LoadInto(second.Config, folder, ScalarType.Float32);
        Assert.That(Bytes(loaded), Is.EqualTo(Bytes(second)));
        Assert.That(Directory.GetFileSystemEntries(dir).Select(Path.GetFileName), Is.EqualTo(new[] { "ckpt" }));
    }

    [Test]
    public void SavingRefusesToReplaceAFolderThatIsNotACheckpoint()
    {
        string folder = Path.Combine(dir, "precious");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "mine");
        using var module = TinyModels.Create(TinyModels.Config(), seed: 8);
        var e = Assert.Throws<RlscException>(() => CheckpointWriter.Save(module, folder))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.InvalidArgument));
        Assert.That(File.ReadAllText(Path.Combine(folder, "notes.txt")), Is.EqualTo("mine"));
        Assert.That(Directory.GetFileSystemEntries(dir), Has.Length.EqualTo(1));
    }
}
