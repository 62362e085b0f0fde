// GitHub Actions: each stage's log in its own collapsible group, and stage failures as annotations.
// (The report in the job summary and the per-suite gate annotations come from the Rlsc.Tasks tasks themselves.)

bool OnGitHubActions => BuildSystem.GitHubActions.IsRunningOnGitHubActions;

void GitHubGroupStart(string stage)
{
    if (OnGitHubActions) BuildSystem.GitHubActions.Commands.StartGroup(stage);
}

void GitHubGroupEnd()
{
    if (OnGitHubActions) BuildSystem.GitHubActions.Commands.EndGroup();
}

void GitHubError(string message)
{
    if (OnGitHubActions) BuildSystem.GitHubActions.Commands.Error(message);
}
