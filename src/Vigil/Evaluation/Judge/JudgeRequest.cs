using Vigil.Records;

namespace Vigil.Evaluation.Judge;

/// <summary>One interaction to judge.</summary>
public sealed record JudgeRequest
{
    /// <summary>The interaction's trace id (1 to 128 characters).</summary>
    public required string TraceId { get; init; }

    /// <summary>The user's question; null when not recorded.</summary>
    public string? Query { get; init; }

    /// <summary>The answer to judge.</summary>
    public required string Response { get; init; }

    /// <summary>The retrieved context faithfulness is judged against, if any.</summary>
    public string? Context { get; init; }

    /// <summary>The model that produced the answer (the <c>model</c> label of the metrics); null when unknown.</summary>
    public string? Model { get; init; }

    /// <summary>The request for an interaction that has a response.</summary>
    /// <exception cref="ArgumentException">The interaction has no response.</exception>
    public static JudgeRequest From(InteractionRecord interaction)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        if (interaction.Response is not { } response)
        {
            throw new ArgumentException($"interaction {interaction.TraceId} has no response to judge", nameof(interaction));
        }

        return new JudgeRequest
        {
            TraceId = interaction.TraceId,
            Query = interaction.Query,
            Response = response,
            Context = interaction.Context,
            Model = interaction.Model,
        };
    }
}
