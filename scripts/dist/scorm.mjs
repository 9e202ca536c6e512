// The SCORM 1.2 package: imsmanifest.xml and the single-file site as index.html at the root, so
// every path is relative and it also runs as an HTML5 app in an offline classroom platform (no
// server, sandboxed frame). The page reports completion and score through the LMS's SCORM API
// when there is one (assets/bridge.js). `node scripts/dist/scorm.mjs dist out/rollout-lab-scorm.zip`.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { singleFile } from "./single.mjs";
import { zip } from "./zip.mjs";

export const MANIFEST = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="rollout-lab" version="1"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="rollout-lab-course">
    <organization identifier="rollout-lab-course">
      <title>Rollout Lab: zero-downtime deployment on Kubernetes</title>
      <item identifier="rollout-lab-item" identifierref="rollout-lab-sco" isvisible="true">
        <title>Rollout Lab</title>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="rollout-lab-sco" type="webcontent" adlcp:scormtype="sco" href="index.html">
      <file href="index.html"/>
    </resource>
  </resources>
</manifest>
`;

export function scormPackage(dist) {
  return zip([
    ["imsmanifest.xml", MANIFEST],
    ["index.html", singleFile(dist)],
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dist = "dist", out = "out/rollout-lab-scorm.zip"] = process.argv.slice(2);
  const pkg = scormPackage(dist);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, pkg);
  console.log(`  ${out}: ${(pkg.length / 1024).toFixed(1)} KB (SCORM 1.2: imsmanifest.xml, index.html)`);
}
