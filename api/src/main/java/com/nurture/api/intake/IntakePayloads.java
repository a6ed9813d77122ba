package com.nurture.api.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nurture.api.errors.ProblemException;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A verified call's body as the documents the mapping reads: HubSpot's and Marketo's JSON object,
 * Account Engagement's forwarded form fields (or JSON), Segment's message (or its batch, one
 * document each). Marketo and Account Engagement also read the URL's query parameters (except
 * {@code token}), so a form's name can ride on the URL; the body wins.
 */
public final class IntakePayloads {
  private final ObjectMapper json;

  public IntakePayloads(ObjectMapper json) {
    this.json = json;
  }

  public List<JsonNode> read(String source, byte[] body, boolean form, Map<String, List<String>> query) {
    return switch (source) {
      case "hubspot" -> List.of(object(body));
      case "marketo" -> List.of(withQuery(object(body), query));
      case "pardot" -> List.of(withQuery(form ? form(body) : object(body), query));
      case "segment" -> segment(body);
      default -> throw new IllegalArgumentException(source);
    };
  }

  private JsonNode parse(byte[] body) {
    try {
      JsonNode n = json.readTree(body);
      if (n == null) {
        throw ProblemException.invalid("body", "is empty; expected JSON");
      }
      return n;
    } catch (IOException e) {
      throw ProblemException.invalid("body", "is not JSON");
    }
  }

  private ObjectNode object(byte[] body) {
    JsonNode n = parse(body);
    if (!n.isObject()) {
      throw ProblemException.invalid("body", "must be a JSON object");
    }
    return (ObjectNode) n;
  }

  private List<JsonNode> segment(byte[] body) {
    JsonNode n = parse(body);
    JsonNode list = n.isArray() ? n : n.path("batch");
    if (!list.isArray()) {
      return List.of(object(body));
    }
    List<JsonNode> out = new ArrayList<>();
    list.forEach(out::add);
    if (out.isEmpty() || out.stream().anyMatch(m -> !m.isObject())) {
      throw ProblemException.invalid("batch", "must be a list of message objects");
    }
    return out;
  }

  private ObjectNode form(byte[] body) {
    ObjectNode doc = json.createObjectNode();
    String text = new String(body, StandardCharsets.UTF_8);
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      doc.put(name, value);
    }
    return doc;
  }

  private static ObjectNode withQuery(ObjectNode doc, Map<String, List<String>> query) {
    query.forEach((name, values) -> {
      if (!name.equals("token") && !values.isEmpty() && !doc.has(name)) {
        doc.put(name, values.get(0));
      }
    });
    return doc;
  }
}
