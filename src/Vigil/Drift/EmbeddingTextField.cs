namespace Vigil.Drift;

/// <summary>The text of an interaction record that is embedded when the record has no embedding of its own.</summary>
public enum EmbeddingTextField
{
    /// <summary>The user's query (<c>query</c>), the text the record's <c>embedding</c> field, when present, is an embedding of.</summary>
    Query,

    /// <summary>The model's answer (<c>response</c>); the record's <c>embedding</c> (of the query) is then never used.</summary>
    Response,
}
