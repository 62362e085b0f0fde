using System.CommandLine;
using Rlsc.Core.Tokenization;
using Rlsc.Runtime.Demo.Tokenizer;

namespace Rlsc.Cli.Commands.Demo;

/// <summary>
/// `rlsc demo make-tokenizer --data warmup.jsonl --out DIR [--merges N]`: a byte-level BPE tokenizer (tokenizer.json,
/// tokenizer_config.json) with merges learned from the warm-up split.
/// </summary>
public static class MakeTokenizerCommand
{
    public static Command Create()
    {
        var dataOption = new Option<string>("--data") { Description = "The warm-up JSONL (prompt, completion) the merges are learned from.", Required = true };
        var outOption = new Option<string>("--out") { Description = "Folder for tokenizer.json and tokenizer_config.json.", Required = true };
        var mergesOption = new Option<int>("--merges") { Description = "Number of BPE merges to learn.", DefaultValueFactory = _ => DemoTokenizer.DefaultMerges };
        var command = new Command("make-tokenizer", "Write a small byte-level BPE tokenizer with merges learned from the warm-up split.")
        {
            dataOption, outOption, mergesOption,
        };
        CommandAction.Set(command, parse =>
        {
            string output = parse.GetValue(outOption)!;
            DemoTokenizer.Write(parse.GetValue(dataOption)!, output, parse.GetValue(mergesOption));
            using var tokenizer = HfTokenizer.Load(output);
            Console.WriteLine($"wrote {output}/tokenizer.json: {tokenizer.VocabSize} tokens");
            return 0;
        });
        return command;
    }
}
