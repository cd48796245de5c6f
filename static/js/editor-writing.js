// Writing tools of the rich-text editor (issue 24, point 8), loaded as the module of
// the "InfoBox", "Video" and "WritingTools" extensions
// (settings.DJANGO_PROSE_EDITOR_EXTENSIONS). Its exports join the editor's by name,
// so Table here replaces the editor's (German menu, always a header row, no merged
// cells: the sanitizer keeps no colspan). What they write is what
// portal.lib.blocks stores:
//   <table><thead><tr><th scope="col">…</th></tr></thead><tbody>…</tbody></table>
//   <aside class="infobox"><h2>Titel</h2><p>…</p></aside>
//   <div data-video="youtube:ID" data-title="…"></div>
import {
  Extension,
  Node,
  Table as BaseTable,
  crel,
  updateAttrsDialog,
} from "django-prose-editor/editor"

// ---------------------------------------------------------------- tables

const tableDialog = updateAttrsDialog(
  {
    rows: { type: "number", title: "Zeilen (ohne Kopfzeile)", format: "number", default: "3", min: "1", max: "50" },
    cols: { type: "number", title: "Spalten", format: "number", default: "3", min: "1", max: "10" },
  },
  { title: "Tabelle einfügen", submitText: "Tabelle einfügen" },
)

export const Table = BaseTable.extend({
  addCommands() {
    return {
      ...this.parent?.(),
      insertTableWithOptions:
        () =>
        ({ editor }) => {
          tableDialog(editor, { rows: "3", cols: "3" }).then((attrs) => {
            if (!attrs) return
            const rows = Math.min(Math.max(Number.parseInt(attrs.rows, 10) || 3, 1), 50)
            const cols = Math.min(Math.max(Number.parseInt(attrs.cols, 10) || 3, 1), 10)
            // The first row heads the columns: it becomes <thead> with scope="col".
            editor.chain().focus().insertTable({ rows: rows + 1, cols, withHeaderRow: true }).run()
          })
          return true
        },
    }
  },

  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "table",
      groups: "table",
      command(editor) {
        editor.chain().focus().insertTableWithOptions().run()
      },
      button: buttons.material("grid_on", "Tabelle einfügen"),
    })
    const inTable = [
      ["table:addRowAfter", "addRowAfter", "playlist_add", "Zeile darunter einfügen"],
      ["table:deleteRow", "deleteRow", "playlist_remove", "Zeile löschen"],
      ["table:addColumnAfter", "addColumnAfter", "view_column", "Spalte rechts einfügen"],
      ["table:deleteColumn", "deleteColumn", "remove_circle_outline", "Spalte löschen"],
      ["table:toggleHeaderRow", "toggleHeaderRow", "table_rows", "Kopfzeile an/aus"],
      ["table:deleteTable", "deleteTable", "delete_forever", "Tabelle löschen"],
    ]
    for (const [name, command, icon, title] of inTable) {
      menu.defineItem({
        name,
        groups: "table",
        command(editor) {
          editor.chain().focus()[command]().run()
        },
        button: buttons.material(icon, title),
        hidden(editor) {
          return !editor.isActive("table")
        },
      })
    }
  },
})

// -------------------------------------------------------------- info box

export const InfoBox = Node.create({
  name: "infobox",
  group: "block",
  // A title first (its heading), then text, lists or both.
  content: "heading (paragraph | bulletList | orderedList)+",
  defining: true,

  parseHTML() {
    return [{ tag: "aside.infobox", priority: 60 }]
  },

  renderHTML() {
    return ["aside", { class: "infobox" }, 0]
  },

  addCommands() {
    return {
      insertInfoBox:
        () =>
        ({ chain }) =>
          chain()
            .focus()
            .insertContent({
              type: this.name,
              content: [
                // Level 2: a box's title never skips a level after the page's h1
                // (axe's heading-order on the public page and on the article form,
                // whose first fieldset has no heading of its own).
                { type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: "Info" }] },
                { type: "paragraph" },
              ],
            })
            .run(),
    }
  },

  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "infobox",
      groups: "nodes",
      command(editor) {
        editor.chain().insertInfoBox().run()
      },
      enabled(editor) {
        return !editor.isActive("infobox") && !editor.isActive("table")
      },
      active(editor) {
        return editor.isActive("infobox")
      },
      button: buttons.material("info", "Info-Kasten einfügen"),
    })
  },
})

// ----------------------------------------------------------------- video

const VIDEO_PATTERNS = [
  ["youtube", /^(?:https?:\/\/)?(?:www\.|m\.)?youtube(?:-nocookie)?\.com\/(?:watch\?(?:.*&)?v=|embed\/|shorts\/|live\/)([A-Za-z0-9_-]{11})/],
  ["youtube", /^(?:https?:\/\/)?youtu\.be\/([A-Za-z0-9_-]{11})/],
  ["vimeo", /^(?:https?:\/\/)?(?:www\.)?vimeo\.com\/(?:video\/)?([0-9]{1,12})(?:[/?#]|$)/],
  ["vimeo", /^(?:https?:\/\/)?player\.vimeo\.com\/video\/([0-9]{1,12})/],
]
const PROVIDER_NAMES = { youtube: "YouTube", vimeo: "Vimeo" }

// "youtube:dQw4w9WgXcQ" for an address of a video at YouTube or Vimeo, else null.
export function videoFromAddress(value) {
  const address = (value || "").trim()
  for (const [provider, pattern] of VIDEO_PATTERNS) {
    const match = pattern.exec(address)
    if (match) return `${provider}:${match[1]}`
  }
  return null
}

let videoDialogs = 0

function videoDialog(editor, attrs) {
  return new Promise((resolve) => {
    const prefix = `portal-video-${++videoDialogs}`
    const address = crel("input", { id: `${prefix}-url`, type: "url", size: 50, value: attrs.address || "" })
    const title = crel("input", { id: `${prefix}-title`, type: "text", size: 50, maxLength: 200, value: attrs.title || "" })
    const error = crel("p", { className: "portal-dialog-error", id: `${prefix}-error` })
    error.setAttribute("role", "alert")
    const heading = crel("h3", { className: "prose-editor-dialog-title", id: `${prefix}-heading`, textContent: "Video einbinden" })
    const hint = crel("p", {
      className: "portal-dialog-hint",
      id: `${prefix}-hint`,
      textContent:
        "Adresse eines Videos bei YouTube oder Vimeo. Leser sehen zuerst einen Hinweis und laden das Video erst mit einem Klick – vorher wird nichts von der Video-Plattform geladen.",
    })
    address.setAttribute("aria-describedby", `${hint.id} ${error.id}`)
    const submit = crel("button", { type: "submit", textContent: attrs.video ? "Übernehmen" : "Video einbinden" })
    const cancel = crel("button", { type: "button", value: "cancel", textContent: "Abbrechen" })
    const form = crel("form", {}, [
      heading,
      crel("div", { className: "prose-editor-dialog-field" }, [
        crel("label", { htmlFor: address.id, textContent: "Adresse des Videos" }),
        address,
        hint,
      ]),
      error,
      crel("div", { className: "prose-editor-dialog-field" }, [
        crel("label", { htmlFor: title.id, textContent: "Titel des Videos (für Leser und Druck)" }),
        title,
      ]),
      crel("div", { className: "prose-editor-dialog-buttons" }, [submit, cancel]),
    ])
    const dialog = crel("dialog", { className: "prose-editor-dialog portal-video-dialog" }, [form])
    dialog.setAttribute("aria-labelledby", heading.id)
    const wrapper = crel("div", {}, [dialog])
    editor.view.dom.parentElement.append(wrapper)
    let result = null
    cancel.addEventListener("click", () => dialog.close())
    dialog.addEventListener("close", () => {
      wrapper.remove()
      resolve(result)
    })
    submit.addEventListener("click", (event) => {
      event.preventDefault()
      const video = videoFromAddress(address.value) || (address.value.trim() === attrs.address ? attrs.video : null)
      if (!video) {
        error.textContent = address.value.trim()
          ? "Diese Adresse ist kein Video bei YouTube oder Vimeo (z. B. https://www.youtube.com/watch?v=… oder https://vimeo.com/123456)."
          : "Bitte die Adresse des Videos eingeben."
        address.setAttribute("aria-invalid", "true")
        address.focus()
        return
      }
      result = { video, title: title.value.trim().slice(0, 200) }
      dialog.close()
    })
    dialog.showModal()
  })
}

function watchAddress(video) {
  const [provider, id] = (video || "").split(":")
  if (provider === "youtube") return `https://www.youtube.com/watch?v=${id}`
  if (provider === "vimeo") return `https://vimeo.com/${id}`
  return ""
}

export const Video = Node.create({
  name: "video",
  group: "block",
  atom: true,
  draggable: true,

  addAttributes() {
    return {
      video: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-video"),
        renderHTML: (attributes) => ({ "data-video": attributes.video }),
      },
      title: {
        default: "",
        parseHTML: (element) => element.getAttribute("data-title") || "",
        renderHTML: (attributes) => (attributes.title ? { "data-title": attributes.title } : {}),
      },
    }
  },

  parseHTML() {
    return [{ tag: "div[data-video]" }]
  },

  renderHTML({ HTMLAttributes }) {
    return ["div", HTMLAttributes]
  },

  // In the editor a box that names the video: no picture from the video site here either.
  addNodeView() {
    return ({ node }) => {
      const [provider] = (node.attrs.video || "").split(":")
      const dom = crel("div", { className: "portal-video-node", contentEditable: "false" }, [
        crel("span", { className: "portal-video-node__icon material-icons", textContent: "ondemand_video" }),
        crel("span", {
          className: "portal-video-node__text",
          textContent: `Video (${PROVIDER_NAMES[provider] || provider}): ${node.attrs.title || "ohne Titel"}`,
        }),
        crel("span", { className: "portal-video-node__hint", textContent: "Leser laden es erst nach Zustimmung („Video laden“)." }),
      ])
      dom.querySelector(".portal-video-node__icon").setAttribute("aria-hidden", "true")
      return { dom }
    }
  },

  addCommands() {
    return {
      editVideo:
        () =>
        ({ editor, state }) => {
          const selected = state.selection.node
          const current = selected?.type.name === this.name ? selected.attrs : null
          videoDialog(editor, {
            video: current?.video,
            title: current?.title,
            address: current ? watchAddress(current.video) : "",
          }).then((attrs) => {
            if (!attrs) return
            if (current) {
              editor.chain().focus().updateAttributes(this.name, attrs).run()
            } else {
              editor.chain().focus().insertContent({ type: this.name, attrs }).run()
            }
          })
          return true
        },
    }
  },

  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "video",
      groups: "nodes",
      command(editor) {
        editor.chain().editVideo().run()
      },
      enabled(editor) {
        return !editor.isActive("table") && !editor.isActive("infobox")
      },
      active(editor) {
        return editor.isActive("video")
      },
      button: buttons.material("ondemand_video", "Video einbinden (YouTube, Vimeo)"),
    })
  },
})

// ---------------------------------------------------------- word count

export const WORDS_PER_MINUTE = 200

// "412 Wörter · Lesezeit etwa 2 Minuten" for a text.
export function readingTime(text) {
  const words = (text.match(/[\p{L}\p{N}]+(?:[-'’.,][\p{L}\p{N}]+)*/gu) || []).length
  if (!words) return "Noch kein Text"
  const minutes = Math.max(1, Math.round(words / WORDS_PER_MINUTE))
  const counted = words === 1 ? "1 Wort" : `${words.toLocaleString("de-DE")} Wörter`
  return `${counted} · Lesezeit etwa ${minutes} ${minutes === 1 ? "Minute" : "Minuten"}`
}

// Under the body editor: its words and the reading time, kept current while typing.
export const WritingTools = Extension.create({
  name: "writingTools",

  onCreate() {
    const container = this.editor.view.dom.closest(".prose-editor")
    if (!container) return
    const count = crel("p", { className: "portal-word-count" })
    container.append(count) // in the editor's own column, under the text
    this.storage.count = count
    this.storage.update = () => {
      const { doc } = this.editor.state
      count.textContent = readingTime(doc.textBetween(0, doc.content.size, " ", " "))
    }
    this.storage.update()
  },

  onUpdate() {
    this.storage.update?.()
  },

  onDestroy() {
    this.storage.count?.remove()
  },
})
