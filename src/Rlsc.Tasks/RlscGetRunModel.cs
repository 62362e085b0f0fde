using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Rlsc.Core;
using Rlsc.Core.Config;

namespace Rlsc.Tasks;

/// <summary>
/// The base model of a fine-tune run, as <c>rlsc finetune</c> recorded it in the run folder's config.json (the
/// effective configuration: the configuration's model or <c>--model</c>). Read with rlsc's own configuration reader
/// (Rlsc.Core), so the targets never parse JSON themselves. Runs in process: it reads one small file, no tool.
/// </summary>
public sealed class RlscGetRunModel : Microsoft.Build.Utilities.Task
{
    /// <summary>The run folder that <c>rlsc finetune</c> wrote. Required.</summary>
    [Required]
    public ITaskItem RunDirectory { get; set; } = null!;

    /// <summary>The model the run's config.json names, as written there (a folder relative to rlsc's working directory, or a hub id); empty when the folder has no config.json yet.</summary>
    [Output]
    public string Model { get; private set; } = "";

    /// <inheritdoc />
    public override bool Execute()
    {
        string config = Path.Combine(RunDirectory.GetMetadata("FullPath"), "config.json");
        if (!File.Exists(config))
        {
            Log.LogMessage(MessageImportance.Low, "RlscGetRunModel: {0} does not exist (no run yet), so the run names no model.", config);
            return true;
        }
        try
        {
            Model = RunConfigJson.Read<FineTuneConfig>(config).Model.Trim();
            return true;
        }
        catch (RlscException e)
        {
            // rlsc's own error (code, file, line): the run folder holds a configuration this rlsc did not write.
            Log.LogError(null, e.Code, null, e.File ?? config, e.Line ?? 0, 0, 0, 0, e.Message);
            return false;
        }
    }
}
