package wxsend.push;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A push body, XML or JSON (the console's "data format"), as one JSON object: XML elements become
 * fields, elements with children become objects, and repeated elements arrays. XML values stay
 * text, as WeChat wrote them. The JDK's XML parser reads it with DOCTYPEs refused outright, so
 * neither external entities (XXE) nor entity expansion can happen: WeChat never sends a DTD.
 */
final class PushParser {

    private final ObjectMapper json;
    private final ObjectReader strict;

    PushParser(ObjectMapper json) {
        this.json = json;
        this.strict = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /** @throws PushRefused 400, naming {@code field}, when it is neither an XML element nor a JSON object */
    ObjectNode read(byte[] body, String field) {
        int first = 0;
        while (first < body.length && Character.isWhitespace(body[first])) {
            first++;
        }
        if (first == body.length) {
            throw PushRefused.invalid(field, field + " is empty");
        }
        return body[first] == '<' ? xml(body, field) : json(body, field);
    }

    private ObjectNode json(byte[] body, String field) {
        JsonNode node;
        try {
            node = strict.readTree(body);
        } catch (IOException e) {
            String where = e instanceof JsonProcessingException p && p.getLocation() != null
                    ? " at line " + p.getLocation().getLineNr() + ", column " + p.getLocation().getColumnNr() : "";
            throw PushRefused.invalid(field, field + " is neither XML nor valid JSON" + where);
        }
        if (!(node instanceof ObjectNode object)) {
            throw PushRefused.invalid(field, field + " is not a JSON object");
        }
        return object;
    }

    private ObjectNode xml(byte[] body, String field) {
        Element root;
        try {
            root = builder().parse(new ByteArrayInputStream(body)).getDocumentElement();
        } catch (SAXException e) {
            // The parser's message may quote the input: the line and column say enough.
            String where = e instanceof SAXParseException p ? " at line " + p.getLineNumber() + ", column " + p.getColumnNumber() : "";
            throw PushRefused.invalid(field, field + " is not well-formed XML without a DOCTYPE (DTDs and entities are refused)"
                    + where);
        } catch (IOException e) {
            throw PushRefused.invalid(field, field + " could not be read as XML");
        }
        return object(root, 0, field);
    }

    /** WeChat's pushes nest two or three levels; a deeper document is no push, and recursion must stay bounded. */
    private static final int MAX_DEPTH = 16;

    private ObjectNode object(Element element, int depth, String source) {
        if (depth > MAX_DEPTH) {
            throw PushRefused.invalid(source, source + " nests deeper than " + MAX_DEPTH + " levels");
        }
        ObjectNode object = json.createObjectNode();
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element field) {
                JsonNode value = hasElements(field) ? object(field, depth + 1, source)
                        : json.getNodeFactory().textNode(field.getTextContent());
                JsonNode before = object.get(field.getTagName());
                if (before == null) {
                    object.set(field.getTagName(), value);
                } else if (before instanceof ArrayNode many) {
                    many.add(value);
                } else {
                    object.putArray(field.getTagName()).add(before).add(value);
                }
            }
        }
        return object;
    }

    private static boolean hasElements(Element element) {
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element) {
                return true;
            }
        }
        return false;
    }

    /** A new builder per body: DocumentBuilder is not thread-safe, and a push is parsed once. */
    private static DocumentBuilder builder() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            factory.setNamespaceAware(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(QUIET);
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a feature it has always had", e);
        }
    }

    /** The default handler prints "[Fatal Error]" with the input's text on standard error. */
    private static final ErrorHandler QUIET = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };
}
