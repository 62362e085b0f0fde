namespace Rlsc.Core.Tokenization;

/// <summary>
/// One entry of tokenizer.json's "added_tokens": a token matched in the raw text before any other step
/// (&lt;|im_start|&gt;, &lt;|endoftext|&gt;, &lt;tool_call&gt;...). Special ones are dropped by skip-special decoding.
/// </summary>
/// <param name="Id">Its id (Qwen2.5: 151643 and up, after the BPE vocabulary).</param>
/// <param name="Content">The exact text that stands for it.</param>
/// <param name="Special">Dropped when decoding with skipSpecialTokens.</param>
/// <param name="SingleWord">Only matched when not inside a word.</param>
/// <param name="LStrip">Swallows the white space on its left.</param>
/// <param name="RStrip">Swallows the white space on its right.</param>
/// <param name="Normalized">Matched in the normalized text instead of the raw text.</param>
public sealed record AddedToken(int Id, string Content, bool Special, bool SingleWord = false, bool LStrip = false, bool RStrip = false, bool Normalized = false);
