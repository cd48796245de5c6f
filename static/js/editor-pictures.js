// Alignment and size of body pictures in the rich-text editor (django-prose-editor),
// the module of the "PortalPictures" extension (settings.DJANGO_PROSE_EDITOR_EXTENSIONS).
//
// A figure gets two attributes, stored as data-align ("left", "right"; none is the
// full width) and data-size ("medium": half the column, "small": a third), the
// only values the server's sanitizer keeps (portal.lib.text.FIGURE_LAYOUT).
// When a picture is selected, a small bar under it offers "Volle Breite",
// "Links", "Rechts" and, beside the text, "Halbe Breite" / "Ein Drittel". The
// editor shows the picture as the page will (a node decoration: the editor's
// own figure view does not redraw its attributes).
import { BubbleMenu, Extension, Plugin, crel, pm } from "django-prose-editor/editor"

const ALIGNS = ["left", "right"]
const SIZES = ["medium", "small"]

function figureAt(state) {
  const { selection } = state
  const { $from } = selection
  for (let depth = $from.depth; depth > 0; depth--) {
    const node = $from.node(depth)
    if (node.type.name === "figure") return { node, pos: $from.before(depth) }
  }
  const node = selection.node
  if (node?.type.name === "figure") return { node, pos: selection.from }
  if (node?.type.name === "image") {
    const $pos = state.doc.resolve(selection.from)
    const parent = $pos.parent
    if (parent.type.name === "figure") return { node: parent, pos: $pos.before($pos.depth) }
  }
  return null
}

const CHOICES = [
  { align: null, label: "Volle Breite", hint: "Über die ganze Breite der Textspalte" },
  { align: "left", label: "Links", hint: "Links neben dem Text" },
  { align: "right", label: "Rechts", hint: "Rechts neben dem Text" },
]
const SIZE_CHOICES = [
  { size: "medium", label: "Halbe Breite" },
  { size: "small", label: "Ein Drittel" },
]

export const PortalPictures = Extension.create({
  name: "portalPictures",

  addGlobalAttributes() {
    return [
      {
        types: ["figure"],
        attributes: {
          pictureAlign: {
            default: null,
            parseHTML: (element) => {
              const value = element.getAttribute("data-align")
              return ALIGNS.includes(value) ? value : null
            },
            renderHTML: (attrs) => (attrs.pictureAlign ? { "data-align": attrs.pictureAlign } : {}),
          },
          pictureSize: {
            default: null,
            parseHTML: (element) => {
              const value = element.getAttribute("data-size")
              return SIZES.includes(value) ? value : null
            },
            renderHTML: (attrs) =>
              attrs.pictureAlign ? { "data-size": attrs.pictureSize || "medium" } : {},
          },
        },
      },
    ]
  },

  addCommands() {
    return {
      setPictureLayout:
        (align, size) =>
        ({ state, dispatch }) => {
          const figure = figureAt(state)
          if (!figure) return false
          if (dispatch) {
            const attrs = {
              ...figure.node.attrs,
              pictureAlign: ALIGNS.includes(align) ? align : null,
              pictureSize: ALIGNS.includes(align) && SIZES.includes(size) ? size : null,
            }
            dispatch(state.tr.setNodeMarkup(figure.pos, null, attrs))
          }
          return true
        },
    }
  },

  addProseMirrorPlugins() {
    return [
      new Plugin({
        props: {
          // The page's look in the editor: the figure floats as it will on the page.
          decorations(state) {
            const decorations = []
            state.doc.descendants((node, pos) => {
              if (node.type.name !== "figure") return true
              const align = node.attrs.pictureAlign
              if (align) {
                decorations.push(
                  pm.view.Decoration.node(pos, pos + node.nodeSize, {
                    "data-align": align,
                    "data-size": node.attrs.pictureSize || "medium",
                  }),
                )
              }
              return false
            })
            return pm.view.DecorationSet.create(state.doc, decorations)
          },
        },
      }),
    ]
  },

  addExtensions() {
    let editorRef = null
    const buttons = CHOICES.map((choice) => {
      const button = crel("button", {
        type: "button",
        className: "prose-menubar__button portal-picture-layout__button",
        textContent: choice.label,
        title: choice.hint,
      })
      button.addEventListener("click", () => {
        const figure = editorRef && figureAt(editorRef.state)
        const size = figure?.node.attrs.pictureSize || "medium"
        editorRef?.chain().setPictureLayout(choice.align, size).run()
      })
      return { ...choice, button }
    })
    const sizeButtons = SIZE_CHOICES.map((choice) => {
      const button = crel("button", {
        type: "button",
        className: "prose-menubar__button portal-picture-layout__button",
        textContent: choice.label,
      })
      button.addEventListener("click", () => {
        const figure = editorRef && figureAt(editorRef.state)
        if (!figure?.node.attrs.pictureAlign) return
        editorRef.chain().setPictureLayout(figure.node.attrs.pictureAlign, choice.size).run()
      })
      return { ...choice, button }
    })
    const sizeGroup = crel(
      "div",
      { className: "portal-picture-layout__group", role: "group", "aria-label": "Bildgröße" },
      sizeButtons.map((choice) => choice.button),
    )
    const menu = crel(
      "div",
      {
        className: "prose-menubar prose-menubar--floating portal-picture-layout",
        role: "group",
        "aria-label": "Bildausrichtung",
      },
      [...buttons.map((choice) => choice.button), sizeGroup],
    )

    return [
      // Named apart from the figure's own bubble menu (tiptap warns of duplicates).
      BubbleMenu.extend({ name: "portalPictureLayoutMenu" }).configure({
        element: menu,
        pluginKey: "portalPictureLayout",
        options: { placement: "bottom" },
        shouldShow: ({ editor, state }) => {
          editorRef = editor
          const figure = editor.isEditable && figureAt(state)
          if (!figure) return false
          const align = figure.node.attrs.pictureAlign
          for (const choice of buttons) {
            choice.button.setAttribute("aria-pressed", String(choice.align === align))
          }
          sizeGroup.hidden = !align
          for (const choice of sizeButtons) {
            const active = (figure.node.attrs.pictureSize || "medium") === choice.size
            choice.button.setAttribute("aria-pressed", String(active))
          }
          return true
        },
      }),
    ]
  },
})
