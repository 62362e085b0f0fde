namespace Rlsc.Core.Config;

/// <summary>
/// The experiment logs `training.report_to` may name. Kept in Core beside the configuration so that validation knows
/// the names without loading the writers (which live with TorchSharp in Rlsc.Runtime).
/// </summary>
public static class ReportTargets
{
    /// <summary>TensorBoard event files under the run folder's tensorboard/.</summary>
    public const string TensorBoard = "tensorboard";

    /// <summary>Every known target.</summary>
    public static readonly IReadOnlyList<string> All = [TensorBoard];
}
