using Rlsc.Core;
using Rlsc.Runtime.Model.Safetensors;

namespace Rlsc.Runtime.Model.Checkpoints;

/// <summary>
/// The weight files of a Hugging Face model folder: model.safetensors, or model.safetensors.index.json and its
/// shards. Pickle checkpoints (pytorch_model.bin) are refused: unpickling runs arbitrary code from the file.
/// </summary>
public sealed class CheckpointFiles : IDisposable
{
    readonly Dictionary<string, SafetensorsFile> byTensor;

    CheckpointFiles(string directory, IReadOnlyList<SafetensorsFile> files, Dictionary<string, SafetensorsFile> byTensor)
    {
        Directory = directory;
        Files = files;
        this.byTensor = byTensor;
    }

    public string Directory { get; }
    public IReadOnlyList<SafetensorsFile> Files { get; }
    public IEnumerable<string> TensorNames => byTensor.Keys;
    public bool Contains(string name) => byTensor.ContainsKey(name);
    public SafetensorsFile FileOf(string name) => byTensor[name];

    /// <summary>Opens and validates every weight file of <paramref name="directory"/> (headers only; no data is read).</summary>
    public static CheckpointFiles Open(string directory)
    {
        string single = Path.Combine(directory, "model.safetensors");
        string index = Path.Combine(directory, SafetensorsIndex.FileName);
        if (File.Exists(index)) return OpenSharded(directory, index);
        if (File.Exists(single))
        {
            var file = SafetensorsFile.Open(single);
            return new CheckpointFiles(directory, [file], file.Tensors.ToDictionary(t => t.Name, _ => file, StringComparer.Ordinal));
        }
        var pickles = System.IO.Directory.Exists(directory)
            ? System.IO.Directory.EnumerateFiles(directory, "*.bin").Concat(System.IO.Directory.EnumerateFiles(directory, "*.pt*")).Select(Path.GetFileName).ToList()
            : [];
        if (pickles.Count > 0)
            throw new RlscException(ErrorCodes.CheckpointUnsupported,
                $"only pickle weights found ({string.Join(", ", pickles)}); they are refused because loading a pickle runs arbitrary code from the file. " +
                "Convert them to safetensors (in Python: model.save_pretrained(dir, safe_serialization=True)).", directory);
        throw new RlscException(ErrorCodes.CheckpointUnsupported,
            "no weights found: expected model.safetensors or model.safetensors.index.json with its shards.", directory);
    }

    static CheckpointFiles OpenSharded(string directory, string indexPath)
    {
        var index = SafetensorsIndex.Load(indexPath);
        var files = new List<SafetensorsFile>();
        var byTensor = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        try
        {
            foreach (string shard in index.WeightMap.Values.Distinct().Order(StringComparer.Ordinal))
            {
                string path = Path.Combine(directory, shard);
                if (!File.Exists(path))
                    throw new RlscException(ErrorCodes.CheckpointCorrupt, $"the index names shard '{shard}', which is missing from the folder.", indexPath);
                files.Add(SafetensorsFile.Open(path));
            }
            var byShard = files.ToDictionary(f => Path.GetFileName(f.Path), StringComparer.Ordinal);
            foreach (var (name, shard) in index.WeightMap)
            {
                var file = byShard[shard];
                if (!file.Contains(name))
                    throw new RlscException(ErrorCodes.CheckpointCorrupt, $"the index places tensor '{name}' in {shard}, but that shard does not hold it.", indexPath);
                byTensor[name] = file;
            }
            foreach (var file in files)
                foreach (var t in file.Tensors)
                    if (!index.WeightMap.ContainsKey(t.Name))
                        throw new RlscException(ErrorCodes.CheckpointCorrupt, $"tensor '{t.Name}' is in the shard but not in the index's weight_map.", file.Path);
            return new CheckpointFiles(directory, files, byTensor);
        }
        catch
        {
            foreach (var f in files) f.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var f in Files) f.Dispose();
    }
}
