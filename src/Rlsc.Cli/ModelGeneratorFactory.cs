using Rlsc.Core.Evaluation.Reports;
using Rlsc.Core.Evaluation.Runner;
using Rlsc.Core.Hub;
using Rlsc.Runtime.Evaluation;
using Rlsc.Runtime.Model;

namespace Rlsc.Cli;

/// <summary>
/// `rlsc eval --model M`: a folder is used as is, a hub id is fetched into the Hugging Face cache first
/// (<see cref="ModelSource"/>, with progress on stderr); then the model is loaded on --device in --dtype (float32 on cpu, the checkpoint's
/// own dtype on cuda unless given).
/// </summary>
public static class ModelGeneratorFactory
{
    public static IResponseGenerator Create(string model, string? revision, string device, string? dtype, string? name, CancellationToken cancellation)
    {
        bool isFolder = Directory.Exists(model);
        string folder = ModelSource.Resolve(model, revision, HubProgressPrinter.ForConsole(), cancellation);
        var info = new ModelInfo(
            name ?? ModelInfo.NameOf(model),
            folder,
            isFolder ? null : SnapshotCommit(folder));
        var options = ModelLoadOptions.ForDevice(device, dtype);
        Console.Error.WriteLine($"model: loading {info.Name} from {folder} on {options.Device} ({options.DType})");
        return ModelResponseGenerator.Load(folder, options, info);
    }

    /// <summary>The commit of a hub snapshot folder (…/snapshots/&lt;40 hex&gt;), else null.</summary>
    static string? SnapshotCommit(string folder)
    {
        string leaf = Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar));
        return leaf.Length == 40 && leaf.All(char.IsAsciiHexDigitLower) ? leaf : null;
    }
}
