namespace Rlsc.Tasks.Tooling;

/// <summary>
/// How to start rlsc: the program to run, the words to put before rlsc's own arguments
/// (<c>exec rlsc.dll</c> or <c>tool run rlsc</c> when the program is <c>dotnet</c>), and where it was found.
/// </summary>
/// <param name="FileName">The program to start (a path, or a name looked up on PATH).</param>
/// <param name="PrefixArguments">Arguments that come before rlsc's subcommand.</param>
/// <param name="Source">How it was found, for the build log ("RlscToolPath", "local tool manifest …", "PATH").</param>
internal sealed record RlscToolInvocation(string FileName, IReadOnlyList<string> PrefixArguments, string Source);
