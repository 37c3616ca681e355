package io.cosellsync.simulator.salesforce.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * co-sell sync's Salesforce metadata package ({@code deploy/salesforce}, copied onto the classpath as
 * {@code salesforce-package/objects/…} by the build): the custom objects and fields a partner deploys to an org,
 * read from their Metadata API source files, so that the seeded orgs hold exactly what the package ships. An element
 * this reader does not know is an error, not something quietly ignored.
 */
public final class SalesforcePackage {

    /** One custom object of the package, and the custom fields it declares on any object, by object. */
    public record CustomObject(String name, String label, String labelPlural, String nameFieldLabel,
            boolean autoNumberName) {
    }

    /** A master-detail or lookup field's relationship, as describe and SOQL name it. */
    public record Relationship(String child, String field, String parent, String childRelationshipName,
            boolean cascadeDelete) {
    }

    private static final String ROOT = "salesforce-package";
    private static final Set<String> FIELD_ELEMENTS = Set.of("fullName", "label", "description", "inlineHelpText",
            "type", "length", "precision", "scale", "externalId", "unique", "caseSensitive", "required",
            "defaultValue", "trackHistory", "trackTrending", "visibleLines", "valueSet", "referenceTo",
            "relationshipName", "relationshipLabel", "relationshipOrder", "reparentableMasterDetail",
            "writeRequiresMasterRead", "deleteConstraint");
    private static final Set<String> OBJECT_ELEMENTS = Set.of("label", "pluralLabel", "description", "nameField",
            "deploymentStatus", "sharingModel", "enableActivities", "enableHistory", "enableReports", "enableSearch",
            "enableBulkApi", "enableSharing", "enableStreamingApi", "enableFeeds");
    private static volatile SalesforcePackage loaded;

    private final Map<String, List<Field>> fields;
    private final Map<String, CustomObject> objects;
    private final List<Relationship> relationships;

    SalesforcePackage(Map<String, List<Field>> fields, Map<String, CustomObject> objects,
            List<Relationship> relationships) {
        this.fields = fields;
        this.objects = objects;
        this.relationships = relationships;
    }

    /** The package on the classpath, read once. */
    public static SalesforcePackage get() {
        if (loaded == null) {
            synchronized (SalesforcePackage.class) {
                if (loaded == null) {
                    loaded = read(locate());
                }
            }
        }
        return loaded;
    }

    /** The custom fields the package declares on this object (standard or custom), in file-name order. */
    public List<Field> fieldsOf(String object) {
        return fields.getOrDefault(object, List.of());
    }

    public Map<String, CustomObject> objects() {
        return objects;
    }

    public List<Relationship> relationships() {
        return relationships;
    }

    /** Every "Object.Field" the package declares. */
    public Set<String> qualifiedFieldNames() {
        Set<String> names = new TreeSet<>();
        fields.forEach((object, list) -> list.forEach(f -> names.add(object + "." + f.name())));
        return names;
    }

    private static Path locate() {
        URL url = SalesforcePackage.class.getClassLoader().getResource(ROOT + "/objects");
        if (url == null) {
            throw new IllegalStateException("the Salesforce package is not on the classpath (" + ROOT + ")");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                FileSystem jar;
                try {
                    jar = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    jar = FileSystems.getFileSystem(uri);
                }
                return jar.getPath(ROOT, "objects");
            }
            return Path.of(uri);
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("the Salesforce package cannot be read from " + url, e);
        }
    }

    /** Reads {@code objects/<Object>/…} under this directory. */
    public static SalesforcePackage read(Path objectsDirectory) {
        Map<String, List<Field>> fields = new TreeMap<>();
        Map<String, CustomObject> objects = new TreeMap<>();
        List<Relationship> relationships = new ArrayList<>();
        try (Stream<Path> files = Files.walk(objectsDirectory)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String object = file.getParent().getFileName().toString();
                String name = file.getFileName().toString();
                if (name.endsWith(".field-meta.xml")) {
                    object = file.getParent().getParent().getFileName().toString();
                    Field field = field(document(file), name.substring(0, name.length() - ".field-meta.xml".length()),
                            object, relationships);
                    fields.computeIfAbsent(object, o -> new ArrayList<>()).add(field);
                } else if (name.endsWith(".object-meta.xml")) {
                    objects.put(object, object(document(file), object));
                } else {
                    throw new IllegalArgumentException("not a metadata file this reader knows: " + file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SalesforcePackage(fields, objects, relationships);
    }

    private static Field field(Element root, String fileName, String object, List<Relationship> relationships) {
        Map<String, Element> children = children(root, "CustomField", FIELD_ELEMENTS);
        String name = text(children, "fullName", null);
        if (!fileName.equals(name)) {
            throw new IllegalArgumentException(object + "." + fileName + ": fullName is " + name);
        }
        String label = text(children, "label", name);
        boolean required = Boolean.parseBoolean(text(children, "required", "false"));
        String type = text(children, "type", null);
        Field field = switch (type == null ? "" : type) {
            case "Checkbox" -> Field.of(name, label, FieldType.BOOLEAN);
            case "Text" -> Field.text(name, label, integer(children, "length", name));
            case "TextArea" -> Field.of(name, label, FieldType.TEXTAREA);
            case "LongTextArea" -> Field.of(name, label, FieldType.TEXTAREA).withLength(integer(children, "length",
                    name));
            case "Url" -> Field.of(name, label, FieldType.URL);
            case "Email" -> Field.of(name, label, FieldType.EMAIL);
            case "Phone" -> Field.of(name, label, FieldType.PHONE);
            case "Date" -> Field.of(name, label, FieldType.DATE);
            case "DateTime" -> Field.of(name, label, FieldType.DATETIME);
            case "Number", "Currency", "Percent" -> Field.number(name, label, switch (type) {
                case "Currency" -> FieldType.CURRENCY;
                case "Percent" -> FieldType.PERCENT;
                default -> FieldType.DOUBLE;
            }, integer(children, "precision", name), integer(children, "scale", name));
            case "Picklist" -> Field.picklist(name, label, picklistValues(children, name),
                    Boolean.parseBoolean(text(valueSet(children, name), "restricted", "false")));
            case "MultiselectPicklist" -> Field.multiPicklist(name, label, picklistValues(children, name));
            case "MasterDetail", "Lookup" -> {
                String parent = text(children, "referenceTo", null);
                String childName = text(children, "relationshipName", null);
                if (parent == null || childName == null) {
                    throw new IllegalArgumentException(object + "." + name + ": a " + type
                            + " needs referenceTo and relationshipName");
                }
                boolean master = type.equals("MasterDetail");
                relationships.add(new Relationship(object, name, parent, childName + "__r", master));
                Field reference = Field.reference(name, label, name.replace("__c", "__r"), parent);
                yield master ? reference.required().createOnly().cascadeDeleted() : reference;
            }
            default -> throw new IllegalArgumentException(object + "." + name + ": field type " + type
                    + " is not one this reader knows");
        };
        boolean externalId = Boolean.parseBoolean(text(children, "externalId", "false"));
        boolean unique = Boolean.parseBoolean(text(children, "unique", "false"));
        if (externalId) {
            field = unique ? field.externalIdUnique() : field.externalIdNonUnique();
        }
        return required ? field.required() : field;
    }

    private static CustomObject object(Element root, String object) {
        Map<String, Element> children = children(root, "CustomObject", OBJECT_ELEMENTS);
        Element nameField = children.get("nameField");
        if (nameField == null) {
            throw new IllegalArgumentException(object + ": a custom object needs a nameField");
        }
        Map<String, Element> name = children(nameField, "nameField", Set.of("label", "type", "displayFormat",
                "trackHistory"));
        return new CustomObject(object, text(children, "label", object), text(children, "pluralLabel", object),
                text(name, "label", "Name"), "AutoNumber".equals(text(name, "type", "Text")));
    }

    /** A picklist's {@code <valueSet>}, by child element. */
    private static Map<String, Element> valueSet(Map<String, Element> children, String field) {
        Element valueSet = children.get("valueSet");
        if (valueSet == null) {
            throw new IllegalArgumentException(field + ": a picklist needs a valueSet");
        }
        return children(valueSet, "valueSet", Set.of("restricted", "valueSetDefinition", "valueSetName",
                "controllingField"));
    }

    private static List<String> picklistValues(Map<String, Element> children, String field) {
        Element definition = valueSet(children, field).get("valueSetDefinition");
        if (definition == null) {
            throw new IllegalArgumentException(field + ": only picklists with their own values are supported");
        }
        List<String> values = new ArrayList<>();
        for (Element element : elements(definition)) {
            switch (element.getTagName()) {
                case "sorted" -> {
                }
                case "value" -> values.add(text(children(element, "value", Set.of("fullName", "default", "label",
                        "color", "isActive")), "fullName", null));
                default -> throw new IllegalArgumentException(field + ": unknown element " + element.getTagName()
                        + " in valueSetDefinition");
            }
        }
        return values;
    }

    private static Element document(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document document = factory.newDocumentBuilder().parse(in);
            return document.getDocumentElement();
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** The element's children by tag, each tag at most once (referenceTo aside); unknown tags are an error. */
    private static Map<String, Element> children(Element parent, String what, Set<String> known) {
        Map<String, Element> children = new LinkedHashMap<>();
        for (Element child : elements(parent)) {
            String tag = child.getTagName();
            if (!known.contains(tag)) {
                throw new IllegalArgumentException(what + ": unknown element <" + tag + ">");
            }
            if (children.put(tag, child) != null) {
                throw new IllegalArgumentException(what + ": <" + tag + "> given twice");
            }
        }
        return children;
    }

    private static List<Element> elements(Element parent) {
        List<Element> list = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                list.add(e);
            }
        }
        return list;
    }

    private static String text(Map<String, Element> children, String tag, String otherwise) {
        Element e = children.get(tag);
        return e == null ? otherwise : e.getTextContent().trim();
    }

    private static int integer(Map<String, Element> children, String tag, String field) {
        String value = text(children, tag, null);
        if (value == null) {
            throw new IllegalArgumentException(field + ": <" + tag + "> is required for its type");
        }
        return Integer.parseInt(value);
    }
}
