using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vigil.Server.Gateway;

/// <summary>
/// What the gateway needs to know of an OpenAI request body: the model, whether it streams and asked for usage, whether
/// JSON was requested, the user, and the last user message (the record's query). Streaming calls that did not ask for
/// usage are rewritten to ask (<see cref="AddedUsage"/>), so tokens and cost are known; that extra chunk is not passed on.
/// </summary>
internal sealed class GatewayRequest
{
    private GatewayRequest(byte[] body)
    {
        Body = body;
    }

    /// <summary>The body to send upstream (the caller's bytes, or the rewritten ones).</summary>
    public byte[] Body { get; private set; }

    /// <summary>The <c>model</c> field.</summary>
    public string? Model { get; private set; }

    /// <summary>The <c>stream</c> field.</summary>
    public bool Stream { get; private set; }

    /// <summary>True when the gateway added <c>stream_options.include_usage</c>: the usage chunk is the gateway's, not the caller's.</summary>
    public bool AddedUsage { get; private set; }

    /// <summary>The caller streams and asked for the usage chunk itself.</summary>
    public bool CallerAskedForUsage => Stream && !AddedUsage;

    /// <summary><c>response_format</c> asks for JSON (<c>json_object</c> or <c>json_schema</c>).</summary>
    public bool JsonRequested { get; private set; }

    /// <summary>The <c>user</c> field.</summary>
    public string? User { get; private set; }

    /// <summary>
    /// The response cache's key of a chat request: a hash of its fields but <c>stream</c> and <c>stream_options</c>, so a
    /// streamed and an unstreamed ask of the same thing share an answer. Taken in the same pass that reads the body.
    /// </summary>
    public string? CacheKey { get; private set; }

    /// <summary>The text of the last user message (chat) or the first input (embeddings), when it is text.</summary>
    public string? Query { get; private set; }

    /// <summary>Reads <paramref name="body"/>; null with <paramref name="error"/> when it is not a JSON object.</summary>
    public static GatewayRequest? Parse(byte[] body, bool chat, out string? error)
    {
        error = null;
        var request = new GatewayRequest(body);
        bool streamOptionsUsage = false;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "The body must be a JSON object.";
                return null;
            }

            using var key = chat ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
            foreach (var property in root.EnumerateObject())
            {
                if (key is not null && !property.NameEquals("stream"u8) && !property.NameEquals("stream_options"u8))
                {
                    key.AppendData(JsonMarshal.GetRawUtf8PropertyName(property));
                    key.AppendData(":"u8);
                    key.AppendData(JsonMarshal.GetRawUtf8Value(property.Value));
                    key.AppendData("\n"u8);
                }

                switch (property.Name)
                {
                    case "model" when property.Value.ValueKind == JsonValueKind.String:
                        request.Model = property.Value.GetString();
                        break;
                    case "stream" when property.Value.ValueKind is JsonValueKind.True:
                        request.Stream = true;
                        break;
                    case "stream_options" when property.Value.ValueKind == JsonValueKind.Object:
                        streamOptionsUsage = property.Value.TryGetProperty("include_usage", out var usage) && usage.ValueKind == JsonValueKind.True;
                        break;
                    case "response_format" when property.Value.ValueKind == JsonValueKind.Object:
                        request.JsonRequested = property.Value.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
                            && type.GetString() is "json_object" or "json_schema";
                        break;
                    case "user" when property.Value.ValueKind == JsonValueKind.String:
                        request.User = property.Value.GetString();
                        break;
                    case "messages" when chat && property.Value.ValueKind == JsonValueKind.Array:
                        request.Query = LastUserText(property.Value);
                        break;
                    case "input" when !chat:
                        request.Query = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()
                            : property.Value.ValueKind == JsonValueKind.Array && property.Value.GetArrayLength() > 0
                              && property.Value[0].ValueKind == JsonValueKind.String ? property.Value[0].GetString() : null;
                        break;
                }
            }

            request.CacheKey = key is null ? null : "vigil-gateway:" + Convert.ToHexString(key.GetHashAndReset());
        }
        catch (JsonException ex)
        {
            error = $"The body is not valid JSON: {ex.Message}";
            return null;
        }

        if (string.IsNullOrWhiteSpace(request.Model))
        {
            error = "'model' is required: a string naming the model.";
            return null;
        }

        if (chat && request.Stream && !streamOptionsUsage)
        {
            request.AskForUsage();
        }

        return request;
    }

    /// <summary>The same request for <paramref name="model"/> (the fallback model).</summary>
    public GatewayRequest WithModel(string model)
    {
        var node = JsonNode.Parse(Body)!.AsObject();
        node["model"] = model;
        return new GatewayRequest(JsonSerializer.SerializeToUtf8Bytes(node))
        {
            Model = model,
            Stream = Stream,
            AddedUsage = AddedUsage,
            JsonRequested = JsonRequested,
            User = User,
            Query = Query,
        };
    }

    private void AskForUsage()
    {
        var node = JsonNode.Parse(Body)!.AsObject();
        if (node["stream_options"] is JsonObject options)
        {
            options["include_usage"] = true;
        }
        else
        {
            node["stream_options"] = new JsonObject { ["include_usage"] = true };
        }

        Body = JsonSerializer.SerializeToUtf8Bytes(node);
        AddedUsage = true;
    }

    private static string? LastUserText(JsonElement messages)
    {
        string? text = null;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object
                || !message.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String || role.GetString() != "user"
                || !message.TryGetProperty("content", out var content))
            {
                continue;
            }

            if (content.ValueKind == JsonValueKind.String)
            {
                text = content.GetString();
            }
            else if (content.ValueKind == JsonValueKind.Array)
            {
                text = string.Concat(content.EnumerateArray()
                    .Where(p => p.ValueKind == JsonValueKind.Object && p.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
                    .Select(p => p.GetProperty("text").GetString()));
            }
        }

        return text;
    }
}
