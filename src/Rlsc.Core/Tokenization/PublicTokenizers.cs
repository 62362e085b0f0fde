using Rlsc.Core.Data;

namespace Rlsc.Core.Tokenization;

/// <summary>
/// Public tokenizer files the project depends on (tests, demos, `rlsc init-model`), resolved through
/// <see cref="DataFiles"/>: a local mirror (RLSC_MIRROR or ../shared), else the cache, else a verified download.
/// </summary>
public static class PublicTokenizers
{
    const string QwenUrl = "https://huggingface.co/Qwen/Qwen2.5-7B-Instruct/resolve/main/";

    /// <summary>Qwen2.5's tokenizer.json (the same bytes in Qwen2.5-0.5B, -7B-Instruct and the Qwen2.5-Math models).</summary>
    public static DataSource Qwen25TokenizerJson { get; } = new(
        "models/qwen2.5-tokenizer/tokenizer.json", QwenUrl + "tokenizer.json",
        "c0382117ea329cdf097041132f6d735924b697924d6f6fc3945713e96ce87539");

    /// <summary>Qwen2.5-7B-Instruct's tokenizer_config.json (eos &lt;|im_end|&gt;, pad &lt;|endoftext|&gt;, chat template).</summary>
    public static DataSource Qwen25TokenizerConfig { get; } = new(
        "models/qwen2.5-tokenizer/tokenizer_config.json", QwenUrl + "tokenizer_config.json",
        "5b5d4f65d0acd3b2d56a35b56d374a36cbc1c8fa5cf3b3febbbfabf22f359583");

    /// <summary>
    /// A folder holding Qwen2.5's tokenizer.json and tokenizer_config.json, both verified: the mirror's folder when it
    /// has both, else a folder in the cache assembled from the resolved files (written under a temporary name, then renamed).
    /// </summary>
    public static string Qwen25Directory(HttpClient? http = null, CancellationToken cancellation = default)
    {
        string json = DataFiles.Resolve(Qwen25TokenizerJson, http, cancellation);
        string config = DataFiles.Resolve(Qwen25TokenizerConfig, http, cancellation);
        string folder = Path.GetDirectoryName(json)!;
        if (Path.GetDirectoryName(config) == folder) return folder;

        string assembled = Path.Combine(DataCache.Root(), "tokenizers", "qwen2.5-" + Qwen25TokenizerJson.Sha256[..12]);
        if (File.Exists(Path.Combine(assembled, TokenizerJson.FileName)) && File.Exists(Path.Combine(assembled, TokenizerConfig.FileName)))
            return assembled;
        string temporary = assembled + ".tmp-" + Guid.NewGuid().ToString("N");
        System.IO.Directory.CreateDirectory(temporary);
        File.Copy(json, Path.Combine(temporary, TokenizerJson.FileName), overwrite: true);
        File.Copy(config, Path.Combine(temporary, TokenizerConfig.FileName), overwrite: true);
        try
        {
            System.IO.Directory.Move(temporary, assembled);
        }
        catch (IOException) when (System.IO.Directory.Exists(assembled))
        {
            System.IO.Directory.Delete(temporary, recursive: true);   // another process assembled it first
        }
        return assembled;
    }
}
