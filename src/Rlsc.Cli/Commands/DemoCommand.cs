using System.CommandLine;
using Rlsc.Cli.Commands.Demo;

namespace Rlsc.Cli.Commands;

/// <summary>
/// `rlsc demo ...`: the embedded default's task, tokenizer and report (docs/embedded-default.md). Each subcommand
/// lives in Commands/Demo/, one file each.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var command = new Command("demo", "Make the embedded default's arithmetic task, its tokenizer and its before/after report (docs/embedded-default.md).");
        command.Subcommands.Add(MakeTaskCommand.Create());
        command.Subcommands.Add(MakeTokenizerCommand.Create());
        return command;
    }
}
