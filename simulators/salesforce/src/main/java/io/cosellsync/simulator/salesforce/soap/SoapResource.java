package io.cosellsync.simulator.salesforce.soap;

import io.cosellsync.simulator.salesforce.api.RestError;
import io.cosellsync.simulator.salesforce.auth.Hosts;
import io.cosellsync.simulator.salesforce.auth.Sessions;
import io.cosellsync.simulator.salesforce.auth.Sessions.Session;
import io.cosellsync.simulator.salesforce.control.ApiUsage;
import io.cosellsync.simulator.salesforce.data.Dml;
import io.cosellsync.simulator.salesforce.data.RecordError;
import io.cosellsync.simulator.salesforce.data.SaveException;
import io.cosellsync.simulator.salesforce.org.OrgState;
import io.cosellsync.simulator.salesforce.org.OrgStates;
import io.cosellsync.simulator.salesforce.rest.ApiCall;
import io.cosellsync.simulator.support.SimulatorClock;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The two calls the REST API lacks, on the SOAP partner endpoint ({@code POST /services/Soap/u/NN.N}):
 * {@code undelete(ids)} and {@code merge(request)}. Session from the SessionHeader; faults as SOAP faults.
 */
@Path("/services/Soap/u/{version}")
public class SoapResource {

    private static final String SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/";

    private final Sessions sessions;
    private final Hosts hosts;
    private final OrgStates orgs;
    private final ApiUsage usage;
    private final SimulatorClock clock;

    public SoapResource(Sessions sessions, Hosts hosts, OrgStates orgs, ApiUsage usage, SimulatorClock clock) {
        this.sessions = sessions;
        this.hosts = hosts;
        this.orgs = orgs;
        this.usage = usage;
        this.clock = clock;
    }

    @POST
    @Consumes({"text/xml", "application/soap+xml"})
    public Response call(@PathParam("version") String version, @HeaderParam("Host") String host,
            @HeaderParam("Sforce-Call-Options") String callOptions, String body) {
        Element operation;
        Session session;
        try {
            Document document = parse(body);
            String sessionId = text(document.getElementsByTagNameNS("*", "sessionId").item(0));
            session = sessions.require("Bearer " + sessionId);
            if (!hosts.isInstance(host)) {
                throw RestError.invalidSession("Invalid Session ID found in SessionHeader: Illegal Session");
            }
            Node bodyNode = document.getElementsByTagNameNS(SOAP_NS, "Body").item(0);
            operation = firstElement(bodyNode);
            if (operation == null) {
                return fault("soapenv:Client", "No operation in the SOAP Body");
            }
        } catch (RestError e) {
            return fault("sf:INVALID_SESSION_ID", "INVALID_SESSION_ID: " + e.getMessage());
        } catch (Exception e) {
            return fault("soapenv:Client", "Malformed SOAP request: " + e.getMessage());
        }
        OrgState org = orgs.of(session.org());
        if (usage.used(org.tenant()) >= org.settings().dailyApiRequests()) {
            return fault("sf:REQUEST_LIMIT_EXCEEDED", "REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.");
        }
        usage.use(org.tenant());
        usage.record(org.tenant(), "POST SoapResource." + operation.getLocalName(), 200);
        ApiCall call = new ApiCall(org, session.user().id(), "v" + version, ApiCall.origin("soap", "v" + version,
                callOptions), clock);
        return switch (operation.getLocalName()) {
            case "undelete" -> ok("undeleteResponse", undelete(call, children(operation, "ids")));
            case "merge" -> ok("mergeResponse", merge(call, operation));
            default -> fault("sf:INVALID_OPERATION", "No operation available for request "
                    + operation.getLocalName() + " in this simulator (undelete, merge)");
        };
    }

    private String undelete(ApiCall call, List<String> ids) {
        StringBuilder out = new StringBuilder();
        for (String id : ids) {
            try {
                call.write(txn -> {
                    call.org().dml().undelete(txn, id);
                    return null;
                });
                out.append("<result><id>").append(id).append("</id><success>true</success></result>");
            } catch (SaveException e) {
                out.append("<result>").append(errors(e.errors())).append("<id xsi:nil=\"true\"/>")
                        .append("<success>false</success></result>");
            }
        }
        return out.toString();
    }

    private String merge(ApiCall call, Element operation) {
        Element request = (Element) operation.getElementsByTagNameNS("*", "request").item(0);
        if (request == null) {
            return "<result>" + errors(List.of(new RecordError("INVALID_OPERATION", "merge needs a request")))
                    + "<success>false</success></result>";
        }
        Element master = (Element) request.getElementsByTagNameNS("*", "masterRecord").item(0);
        String masterId = master == null ? "" : text(master.getElementsByTagNameNS("*", "Id").item(0));
        List<String> losers = children(request, "recordToMergeIds");
        try {
            Dml.Merged merged = call.write(txn -> call.org().dml().merge(txn, masterId, losers));
            StringBuilder out = new StringBuilder("<result><id>").append(merged.masterId()).append("</id>");
            merged.mergedIds().forEach(id -> out.append("<mergedRecordIds>").append(id).append("</mergedRecordIds>"));
            out.append("<success>true</success>");
            merged.updatedRelatedIds().forEach(id -> out.append("<updatedRelatedIds>").append(id)
                    .append("</updatedRelatedIds>"));
            return out.append("</result>").toString();
        } catch (SaveException e) {
            return "<result>" + errors(e.errors()) + "<id>" + escape(masterId) + "</id><success>false</success>"
                    + "</result>";
        }
    }

    private static String errors(List<RecordError> errors) {
        StringBuilder out = new StringBuilder();
        for (RecordError error : errors) {
            out.append("<errors>");
            error.fields().forEach(f -> out.append("<fields>").append(escape(f)).append("</fields>"));
            out.append("<message>").append(escape(error.message())).append("</message><statusCode>")
                    .append(error.statusCode()).append("</statusCode></errors>");
        }
        return out.toString();
    }

    private static Response ok(String element, String results) {
        return Response.ok("<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"" + SOAP_NS
                + "\" xmlns=\"urn:partner.soap.sforce.com\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
                + "<soapenv:Body><" + element + ">" + results + "</" + element + "></soapenv:Body></soapenv:Envelope>",
                "text/xml; charset=utf-8").build();
    }

    private static Response fault(String code, String message) {
        return Response.status(500).type("text/xml; charset=utf-8").entity("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<soapenv:Envelope xmlns:soapenv=\"" + SOAP_NS + "\" xmlns:sf=\"urn:fault.partner.soap.sforce.com\">"
                + "<soapenv:Body><soapenv:Fault><faultcode>" + code + "</faultcode><faultstring>" + escape(message)
                + "</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>").build();
    }

    private static Document parse(String body) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static Element firstElement(Node parent) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                return e;
            }
        }
        return null;
    }

    /** Text of the direct children with this local name. */
    private static List<String> children(Element parent, String localName) {
        List<String> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                out.add(e.getTextContent().trim());
            }
        }
        return out;
    }

    private static String text(Node node) {
        return node == null ? "" : node.getTextContent().trim();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
