using Rlsc.Core.Hub;

namespace Rlsc.Runtime.Model;

/// <summary>
/// Turns the configuration's `model` into a local model folder: an existing folder as is, otherwise a Hugging Face
/// hub id fetched into (or found in) the hub cache by <see cref="ModelResolver"/> (HF_TOKEN, HF_HUB_CACHE,
/// HF_HUB_OFFLINE are honoured).
/// </summary>
public static class ModelSource
{
    public static string Resolve(string model, CancellationToken cancellation = default) =>
        ModelResolver.Resolve(model, HubOptions.FromEnvironment(), progress: null, cancellation);
}
