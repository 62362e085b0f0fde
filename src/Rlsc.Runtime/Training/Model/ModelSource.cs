namespace Rlsc.Training;

/// <summary>Turns the configuration's `model` (a folder, or a hub id) into a local model folder.</summary>
public static class ModelSource
{
    public static string Resolve(string model)
    {
        if (Directory.Exists(model)) return Path.GetFullPath(model);
        throw new RlscException(ErrorCodes.FileNotFound,
            $"model '{model}' is not a folder. Set model (or --model) to a Hugging Face checkpoint folder (config.json, *.safetensors, tokenizer.json).");
    }
}
