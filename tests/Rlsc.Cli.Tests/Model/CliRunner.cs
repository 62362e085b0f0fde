using System.CommandLine;

namespace Rlsc.Cli.Tests.Model;

/// <summary>Runs `rlsc` in process and captures stdout and stderr (CommandAction reports errors on Console.Error).</summary>
internal static class CliRunner
{
    static readonly object ConsoleGate = new();

    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        lock (ConsoleGate)
        {
            var originalError = Console.Error;
            Console.SetError(error);
            try
            {
                int exit = RlscCommandLine.Build().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
                return (exit, output.ToString(), error.ToString());
            }
            finally
            {
                Console.SetError(originalError);
            }
        }
    }
}
